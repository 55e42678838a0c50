# Reference figures for pooling waves (analysis/core/pooling.py), from R survey.
#
# Four quarterly waves of a stratified sample of businesses (6 strata of 100 businesses,
# 20 drawn per stratum per wave, independently, so the same business can be interviewed in
# several waves: panel overlap). Each row's weight is 100/20 times a non-response factor.
# The pooled design stacks the waves' respondents with each weight divided by k = 4 and
#   independent: strata = wave x stratum, one PSU per row (independent samples);
#   cluster:     strata = stratum, PSU = business across waves (panel overlap as clustering).
# Writes pooled_waves.csv (the stacked input) and pooled_reference.csv (svymean and
# svyby(svymean) by borough, estimate and SE, for each treatment; svytotal; and the same
# means after each wave is raked to borough counts, "<treatment>_calibrated").
#
# Run from this directory: Rscript make_pooling_reference.R   (R 4.x, survey 4.1)
library(survey)
options(survey.lonely.psu = "adjust", digits = 15)
set.seed(20261204)

k <- 4
businesses <- data.frame(business = sprintf("B%04d", 1:600),
                         stratum = rep(sprintf("S%d", 1:6), each = 100))
businesses$borough <- sprintf("E090000%02d", sample(1:5, 600, replace = TRUE))
p_borough <- c(0.15, 0.3, 0.45, 0.25, 0.6)
rows <- list()
for (wave in 1:k) {
  for (s in unique(businesses$stratum)) {
    pool <- businesses[businesses$stratum == s, ]
    drawn <- pool[sample(nrow(pool), 20), ]
    drawn$wave <- sprintf("2026Q%d", wave)
    drawn$weight <- 100 / 20 * runif(20, 0.7, 1.6)
    b <- as.integer(substr(drawn$borough, 9, 10))
    drawn$y <- as.integer(runif(20) < p_borough[b] + 0.05 * (wave - 2.5))
    rows[[length(rows) + 1]] <- drawn
  }
}
stacked <- do.call(rbind, rows)
stacked <- stacked[, c("wave", "stratum", "business", "borough", "weight", "y")]
write.csv(stacked, "pooled_waves.csv", row.names = FALSE)

stacked$pooled_weight <- stacked$weight / k
stacked$wave_stratum <- paste(stacked$wave, stacked$stratum)
stacked$row <- seq_len(nrow(stacked))
stacked$wave_borough <- interaction(stacked$wave, stacked$borough)

designs <- list(
  independent = svydesign(ids = ~row, strata = ~wave_stratum, weights = ~pooled_weight,
                          data = stacked),
  cluster = svydesign(ids = ~business, strata = ~stratum, weights = ~pooled_weight,
                      data = stacked))
out <- NULL
for (name in names(designs)) {
  d <- designs[[name]]
  overall <- svymean(~y, d)
  out <- rbind(out, data.frame(treatment = name, domain = "", estimate = coef(overall)[[1]],
                               se = SE(overall)[[1]]))
  by <- svyby(~y, ~borough, d, svymean)
  out <- rbind(out, data.frame(treatment = name, domain = by$borough, estimate = by$y,
                               se = by$se))
  total <- svytotal(~y, d)
  out <- rbind(out, data.frame(treatment = paste0(name, "_total"), domain = "",
                               estimate = coef(total)[[1]], se = SE(total)[[1]]))
}

# Calibrated waves: each wave raked (here post-stratified) to the same borough counts
# (80, 100, 120, 140, 160). Stacked, that is calibration to wave x borough totals / k, with
# the calibration-aware variance of calibrate().
borough_totals <- setNames(seq(80, 160, length.out = 5), sort(unique(stacked$borough)))
for (name in names(designs)) {
  d <- designs[[name]]
  columns <- colnames(model.matrix(~ wave_borough - 1, stacked))
  population <- borough_totals[sub(".*\\.", "", columns)] / k
  names(population) <- columns
  cal <- calibrate(d, ~ wave_borough - 1, population = population, calfun = "raking")
  overall <- svymean(~y, cal)
  out <- rbind(out, data.frame(treatment = paste0(name, "_calibrated"), domain = "",
                               estimate = coef(overall)[[1]], se = SE(overall)[[1]]))
  by <- svyby(~y, ~borough, cal, svymean)
  out <- rbind(out, data.frame(treatment = paste0(name, "_calibrated"), domain = by$borough,
                               estimate = by$y, se = by$se))
}
write.csv(out, "pooled_reference.csv", row.names = FALSE)
