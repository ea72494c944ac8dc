"""Sales structure advisor: grounded guidance and roster metrics for designing a sales organisation."""

__version__ = "0.1.0"
