# Fay-Herriot references from R sae 1.3 (eblupFH / mseFH) for tests/analysis/test_small_area_*.
# Run here with: Rscript make_fh_reference.R   (R and sae: apt-get install -y r-base-core
# r-cran-lme4 r-cran-mass, then R CMD INSTALL sae_1.3.tar.gz)
# Reads milk.csv (sae's own milk data, written by shared/reference/sae/milk_fh.R) and writes
# boroughs.csv (33 synthetic London boroughs, seeded), fh_reference.csv (EBLUP and MSE per
# domain) and fh_fit_reference.csv (coefficients, model variance, goodness, iterations).
suppressMessages(library(sae))

set.seed(20261204)
m <- 33
code <- sprintf("E090000%02d", 1:m)
inner <- ifelse(1:m %in% c(1, 7, 12, 13, 19, 20, 22, 25, 28, 30, 31, 32, 33), "Inner", "Outer")
crime_rate <- round(rgamma(m, shape = 6, rate = 0.2), 1)          # per 1,000 businesses
businesses <- round(runif(m, 8000, 60000))
n <- sample(20:80, m, replace = TRUE)
p_true <- plogis(-0.9 + 0.02 * crime_rate + 0.3 * (inner == "Inner"))
variance <- round(1.4 * p_true * (1 - p_true) / n, 8)             # design variance, deff 1.4
beta <- c(0.12, 0.006, 0.05)
xb <- beta[1] + beta[2] * crime_rate + beta[3] * (inner == "Inner")
estimate <- round(xb + rnorm(m, 0, sqrt(0.0025)) + rnorm(m, 0, sqrt(variance)), 8)
# Sampling errors far smaller than their stated variances: every method's A goes negative -> 0.
estimate_zero <- round(xb + rnorm(m, 0, sqrt(variance) * 0.5), 8)
boroughs <- data.frame(borough = code, inner = inner, crime_rate = crime_rate,
                       businesses = businesses, n = n, estimate = estimate,
                       estimate_zero = estimate_zero, variance = variance)
write.csv(boroughs, "boroughs.csv", row.names = FALSE)
boroughs <- read.csv("boroughs.csv")
boroughs$inner <- factor(boroughs$inner)

milk <- read.csv("milk.csv")
milk$major_area <- factor(milk$major_area)

cases <- list(
  list(name = "milk", formula = yi ~ major_area, vardir = "var", data = milk, id = milk$area),
  list(name = "boroughs", formula = estimate ~ crime_rate + inner, vardir = "variance",
       data = boroughs, id = boroughs$borough),
  list(name = "boroughs_zero", formula = estimate_zero ~ crime_rate + inner,
       vardir = "variance", data = boroughs, id = boroughs$borough))
settings <- list(tight = c(1000, 1e-12), default = c(100, 1e-4), maxiter2 = c(2, 1e-4))
f15 <- function(x) format(as.numeric(x), digits = 15)

domain_rows <- list(); fit_rows <- list()
for (case in cases) for (setting in names(settings)) for (method in c("REML", "ML", "FH")) {
  s <- settings[[setting]]
  d <- case$data; d$.vardir <- d[[case$vardir]]
  res <- suppressWarnings(mseFH(case$formula, .vardir, method = method, MAXITER = s[1],
                                PRECISION = s[2], data = d))
  fit <- res$est$fit
  label <- c(case = case$name, setting = setting, method = tolower(method))
  if (!fit$convergence) {
    fit_rows[[length(fit_rows) + 1]] <- data.frame(t(label), converged = FALSE,
      iterations = fit$iterations, term = NA, beta = NA, std_error = NA, tvalue = NA,
      pvalue = NA, refvar = NA, loglike = NA, AIC = NA, BIC = NA, KIC = NA)
    next
  }
  co <- fit$estcoef
  fit_rows[[length(fit_rows) + 1]] <- data.frame(t(label), converged = TRUE,
    iterations = fit$iterations, term = sub("^X", "", rownames(co)), beta = f15(co$beta),
    std_error = f15(co$std.error), tvalue = f15(co$tvalue), pvalue = f15(co$pvalue),
    refvar = f15(fit$refvar), loglike = f15(fit$goodness["loglike"]),
    AIC = f15(fit$goodness["AIC"]), BIC = f15(fit$goodness["BIC"]),
    KIC = f15(fit$goodness["KIC"]))
  domain_rows[[length(domain_rows) + 1]] <- data.frame(t(label), domain = case$id,
    eblup = f15(res$est$eblup), mse = f15(res$mse))
}
write.csv(do.call(rbind, domain_rows), "fh_reference.csv", row.names = FALSE)
write.csv(do.call(rbind, fit_rows), "fh_fit_reference.csv", row.names = FALSE)
cat(R.version.string, "sae", as.character(packageVersion("sae")), "\n")
