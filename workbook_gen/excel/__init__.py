"""The Hitung Capaian button's side: verification of what the spreadsheet computed, the
LibreOffice UNO book, the button's entry point and the offline install kit."""
