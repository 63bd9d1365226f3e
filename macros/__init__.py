"""Routines Excel runs through xlwings; thin wrappers over workbook_gen."""
