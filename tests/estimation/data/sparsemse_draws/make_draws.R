# Bootstrap resamples exactly as SparseMSE 2.x estimatepopulation() draws them with its default
# iseed = 1234: set.seed(iseed), then for each of nboot = 1000 replicates one
# rmultinom(1, sum(count), count) over the rows of the data file, in file order. No other
# random numbers are drawn in between (the point estimate and the jackknife use none).
# Run from this folder:  Rscript make_draws.R   (R 4.2.2 was used)
for (name in c("new_orleans", "new_orleans_5", "western")) {
  z <- read.csv(file.path("..", paste0(name, ".csv")))
  count <- z[, ncol(z)]
  set.seed(1234)
  draws <- t(sapply(seq_len(1000), function(j) rmultinom(1, sum(count), count)))
  colnames(draws) <- apply(z[, -ncol(z)], 1, paste, collapse = "")
  con <- gzfile(paste0(name, "_iseed1234.csv.gz"), "w")
  write.csv(draws, con, row.names = FALSE, quote = FALSE)
  close(con)
}
