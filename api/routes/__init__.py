"""JSON, streaming and OpenAI-compatible routes for programs."""
