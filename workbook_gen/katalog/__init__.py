"""Katalog nasional: satu daftar indikator dan target semua unit -> satu workbook per unit."""
