"""The grounded answer pipeline: retrieve + metrics -> prompt -> model -> grounding -> Answer."""
