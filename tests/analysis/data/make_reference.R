# Reference figures from R survey 4.1 for tests/analysis (R is not a project dependency:
# the tests read the CSV files this script writes). Run from this directory:
#   Rscript make_reference.R
suppressMessages(library(survey))
options(digits = 15, survey.lonely.psu = "adjust")
set.seed(20240601)

# --- synthetic stratified cluster sample (no real businesses) -------------------------------
psus <- data.frame(stratum = rep(c("h1", "h2", "h3", "h4"), c(6, 5, 4, 1)))
psus$cluster <- seq_len(nrow(psus))
psus$fpc <- c(h1 = 40, h2 = 30, h3 = 20, h4 = 10)[psus$stratum]
rows <- do.call(rbind, lapply(seq_len(nrow(psus)), function(i) {
  m <- sample(8:15, 1)
  data.frame(stratum = psus$stratum[i], cluster = psus$cluster[i], fpc = psus$fpc[i],
             unit = seq_len(m))
}))
n <- nrow(rows)
rows$id <- seq_len(n)
n_h <- table(psus$stratum)[rows$stratum]
rows$weight <- round(as.numeric(rows$fpc / n_h) * runif(n, 8, 30), 3)
rows$region <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
rows$sector <- sample(c("C", "F", "G", "M", "N"), n, replace = TRUE)
rows$size <- sample(c("0-9", "10-49", "50-249", "250+"), n, replace = TRUE,
                    prob = c(0.5, 0.3, 0.15, 0.05))
rows$x <- round(rgamma(n, 2, 0.1), 2)
rows$y <- round(3 * rows$x + rnorm(n, 20, 15) + 10 * (rows$region == "A"), 2)
rows$b1 <- rbinom(n, 1, plogis(-0.5 + 0.8 * (rows$sector %in% c("G", "M"))))
rows$b1[sample(n, 12)] <- NA
rows$b2 <- rbinom(n, 1, 0.15)
write.csv(rows[, c("id", "stratum", "cluster", "fpc", "weight", "region", "sector", "size",
                   "x", "y", "b1", "b2")], "synthetic_sample.csv", row.names = FALSE)

margins <- data.frame(
  variable = c(rep("region", 3), rep("size", 4)),
  category = c("A", "B", "C", "0-9", "10-49", "50-249", "250+"),
  total = c(11000, 6200, 3800, 10500, 6000, 3300, 1200))
write.csv(margins, "synthetic_margins.csv", row.names = FALSE)

d <- svydesign(id = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = rows)

res <- data.frame()
add <- function(check, est, se, lo = NA, hi = NA, deff = NA, by = "", domain = "") {
  res <<- rbind(res, data.frame(check = check, by = by, domain = domain,
                                estimate = as.numeric(est), se = as.numeric(se),
                                ci_low = as.numeric(lo), ci_high = as.numeric(hi),
                                deff = as.numeric(deff)))
}
add_stat <- function(check, s)
  add(check, coef(s), SE(s), deff = if (is.null(attr(s, "deff"))) NA else deff(s))
add_by <- function(check, b, by, var) {
  key <- if (length(by) == 1) as.character(b[[by]]) else
    apply(b[, by, drop = FALSE], 1, function(r) paste(trimws(r), collapse = "."))
  dcol <- grep("^DEff", names(b), value = TRUE)
  for (i in seq_len(nrow(b)))
    add(check, b[[var]][i], b$se[i], deff = if (length(dcol)) b[[dcol]][i] else NA,
        by = paste(by, collapse = "+"), domain = key[i])
}
add_ciprop <- function(check, design, formula, method, by = "", domain = "") {
  ci <- svyciprop(formula, design, method = method, na.rm = TRUE)
  add(check, as.numeric(ci), SE(ci), attr(ci, "ci")[1], attr(ci, "ci")[2], by = by,
      domain = domain)
}

# --- fixed weights: stratified clusters, fpc, lonely PSU "adjust" ---------------------------
add_stat("strat mean y", svymean(~y, d, deff = TRUE))
add_stat("strat total y", svytotal(~y, d, deff = TRUE))
add_stat("strat mean b1 na.rm", svymean(~b1, d, na.rm = TRUE, deff = TRUE))
r <- svyratio(~y, ~x, d, deff = TRUE)
add("strat ratio y/x", coef(r), SE(r), deff = deff(r))
add_by("strat mean y by region+sector", svyby(~y, ~region + sector, d, svymean, deff = TRUE),
       c("region", "sector"), "y")
add_by("strat total y by region", svyby(~y, ~region, d, svytotal, deff = TRUE), "region", "y")
sub <- subset(d, region == "A")
add_stat("strat mean y subset region=A", svymean(~y, sub, deff = TRUE))
add_by("strat mean y by sector subset region=A", svyby(~y, ~sector, sub, svymean, deff = TRUE),
       "sector", "y")
for (method in c("logit", "beta")) {
  add_ciprop(paste("strat prop b1", method), d, ~b1, method)
  add_ciprop(paste("strat prop b2", method), d, ~b2, method)
  for (s in sort(unique(rows$sector)))
    add_ciprop(paste("strat prop b1 by sector", method), subset(d, sector == s), ~b1, method,
               by = "sector", domain = s)
}
jkn <- as.svrepdesign(d, type = "JKn")
add("strat JKn mean y", coef(svymean(~y, jkn)), SE(svymean(~y, jkn)))
add("strat JKn total y", coef(svytotal(~y, jkn)), SE(svytotal(~y, jkn)))

# --- calibration: linear, bounded logit, raking; and rake() ---------------------------------
pop <- c(`(Intercept)` = 21000, regionB = 6200, regionC = 3800,
         `size10-49` = 6000, `size250+` = 1200, `size50-249` = 3300)
rows$size <- factor(rows$size, levels = c("0-9", "10-49", "250+", "50-249"))
d <- svydesign(id = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = rows)
cals <- list(
  linear = calibrate(d, ~region + size, pop, calfun = "linear"),
  logit = calibrate(d, ~region + size, pop, calfun = "logit", bounds = c(0.7, 1.4)),
  raking = calibrate(d, ~region + size, pop, calfun = "raking"))
for (name in names(cals)) {
  cd <- cals[[name]]
  add_stat(paste("cal", name, "mean y"), svymean(~y, cd, deff = TRUE))
  add_stat(paste("cal", name, "total y"), svytotal(~y, cd, deff = TRUE))
  add_by(paste("cal", name, "mean b1 by sector"),
         svyby(~b1, ~sector, cd, svymean, na.rm = TRUE, deff = TRUE), "sector", "b1")
  add_by(paste("cal", name, "mean y by region"),
         svyby(~y, ~region, cd, svymean, deff = TRUE), "region", "y")
}
for (method in c("logit", "beta")) for (s in sort(unique(rows$sector)))
  add_ciprop(paste("cal raking prop b1 by sector", method), subset(cals$raking, sector == s),
             ~b1, method, by = "sector", domain = s)
write.csv(data.frame(id = rows$id, linear = weights(cals$linear), logit = weights(cals$logit),
                     raking = weights(cals$raking)), "calibrated_weights.csv", row.names = FALSE)

pop_region <- data.frame(region = c("A", "B", "C"), Freq = c(11000, 6200, 3800))
pop_size <- data.frame(size = c("0-9", "10-49", "50-249", "250+"), Freq = c(10500, 6000, 3300, 1200))
rk <- rake(d, list(~region, ~size), list(pop_region, pop_size),
           control = list(maxit = 100, epsilon = 1e-12))
add_stat("rake mean y", svymean(~y, rk))
add_by("rake() mean b1 by sector", svyby(~b1, ~sector, rk, svymean, na.rm = TRUE), "sector", "b1")

write.csv(res, "r_survey_reference.csv", row.names = FALSE)
cat(nrow(res), "reference rows written\n")
