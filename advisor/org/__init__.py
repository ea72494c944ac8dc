"""The rules layer: roster import and validation, metrics, findings and what-if scenarios."""
