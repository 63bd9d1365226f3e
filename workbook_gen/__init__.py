"""workbook_gen: standardised SAKIP performance workbooks and the capaian engine."""

__version__ = "0.1.0"

#: Version of the workbook layout written by the generator and read back by the reader.
TEMPLATE_VERSION = 1
