"""Documents for people: the 通报, problem lists, 回头看 and scan reports, written from plain data."""
