"""Offline by construction: environment switches set before any model library is imported."""

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # weights load from local files in a fraction of a second; their progress bars are noise
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


def enforce_offline() -> None:
    """Tell Hugging Face and Chroma never to reach the network (idempotent)."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
