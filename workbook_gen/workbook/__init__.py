"""One unit's workbook: how its cells are laid out, written and read back."""
