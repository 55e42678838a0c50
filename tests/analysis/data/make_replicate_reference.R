# Reference figures from R survey 4.1 for calibration and raking on replicate-weight designs
# (calibrate() on an svrep.design calibrates every replicate, as tests/analysis checks), and
# calibration-aware SEs of a stratified design whose PSUs are its rows.
# Run from this directory after make_reference.R:  Rscript make_replicate_reference.R
suppressMessages(library(survey))
options(digits = 15, survey.lonely.psu = "adjust")

res <- data.frame()
add <- function(check, est, se, by = "", domain = "") {
  res <<- rbind(res, data.frame(check = check, by = by, domain = domain,
                                estimate = as.numeric(est), se = as.numeric(se)))
}
add_by <- function(check, b, by, var) {
  for (i in seq_len(nrow(b)))
    add(check, b[[var]][i], b$se[i], by = by, domain = as.character(b[[by]][i]))
}

rows <- read.csv("synthetic_sample.csv")
rows$size <- factor(rows$size, levels = c("0-9", "10-49", "250+", "50-249"))
d <- svydesign(id = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = rows)
jkn <- as.svrepdesign(d, type = "JKn")
pop <- c(`(Intercept)` = 21000, regionB = 6200, regionC = 3800,
         `size10-49` = 6000, `size250+` = 1200, `size50-249` = 3300)
cals <- list(
  linear = calibrate(jkn, ~region + size, pop, calfun = "linear"),
  logit = calibrate(jkn, ~region + size, pop, calfun = "logit", bounds = c(0.7, 1.4)),
  raking = calibrate(jkn, ~region + size, pop, calfun = "raking"))
for (name in names(cals)) {
  cd <- cals[[name]]
  m <- svymean(~y, cd); add(paste("JKn cal", name, "mean y"), coef(m), SE(m))
  t <- svytotal(~y, cd); add(paste("JKn cal", name, "total y"), coef(t), SE(t))
  add_by(paste("JKn cal", name, "mean b1 by sector"),
         svyby(~b1, ~sector, cd, svymean, na.rm = TRUE), "sector", "b1")
}

# rows as PSUs (the BAS design): calibration-aware SEs after raking
dr <- svydesign(id = ~1, strata = ~stratum, weights = ~weight, data = rows)
cr <- calibrate(dr, ~region + size, pop, calfun = "raking")
m <- svymean(~y, cr); add("rows cal raking mean y", coef(m), SE(m))
t <- svytotal(~y, cr); add("rows cal raking total y", coef(t), SE(t))
add_by("rows cal raking mean b1 by sector", svyby(~b1, ~sector, cr, svymean, na.rm = TRUE),
       "sector", "b1")
add_by("rows cal raking total y by region", svyby(~y, ~region, cr, svytotal), "region", "y")

api <- read.csv("apiclus1.csv")
da <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = api)
jk1 <- as.svrepdesign(da, type = "JK1")
cal <- calibrate(jk1, ~stype + sch.wide,
                 c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, sch.wideYes = 5122),
                 calfun = "raking")
m <- svymean(~api00, cal); add("apiclus1 JK1 cal raking mean api00", coef(m), SE(m))

write.csv(res, "replicate_calibration_reference.csv", row.names = FALSE)
cat(nrow(res), "reference rows written\n")
