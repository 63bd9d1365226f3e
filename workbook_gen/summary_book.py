"""Kept for imports of earlier versions: the renderer is ``workbook_gen.summary.render``."""

from .summary.render import CHART_ROWS, grid_of, render

__all__ = ["CHART_ROWS", "grid_of", "render"]
