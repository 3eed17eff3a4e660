"""fengqing (风清): political-ecology analysis and assessment for Party groups of government units."""

__version__ = "0.1.0"
