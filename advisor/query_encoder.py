"""A numpy encoder for BERT-family sentence-transformers models, so answering a question needs no torch.

Importing torch and sentence-transformers costs 5-10 s on this machine, more than the rest of a cold `advisor ask`.
A question is one short text, and a 6-layer BERT forward pass over twenty tokens is a few milliseconds of numpy, so
queries are embedded here from the same `model.safetensors` and `tokenizer.json` the torch model reads: token,
position and type embeddings -> N x (self-attention, feed-forward, post-layer-norm) -> mean pooling over the
attention mask -> L2 normalisation. The vectors match sentence-transformers' to within float32 rounding (the test
checks cosine > 0.9999), so passages embedded by torch at ingest and queries embedded here share one space.
Folders that are not a plain BERT with mean pooling and normalisation are declined (`load` returns None) and the
caller falls back to sentence-transformers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

_MODULES = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


class QueryEncoder:
    """Mean-pooled, normalised sentence embeddings from a BERT checkpoint, computed with numpy."""

    def __init__(self, folder: Path, config: dict[str, Any], max_length: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.weights = load_file(str(folder / "model.safetensors"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimension = int(config["hidden_size"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """One normalised float32 row per text (one padded batch, attention masked)."""
        from threadpoolctl import threadpool_limits

        encodings = [self.tokenizer.encode(text).ids for text in texts]
        longest = max((len(ids) for ids in encodings), default=0)
        ids = np.zeros((len(texts), longest), dtype=np.int64)
        mask = np.zeros((len(texts), longest), dtype=np.float32)
        for row, tokens in enumerate(encodings):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        # OpenBLAS' spinning worker threads fight everything else on a small machine, as torch's and llama.cpp's do
        with threadpool_limits(limits=max(1, (os.cpu_count() or 2) // 2)):
            h = self._forward(ids, mask)
        pooled = (h * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return np.asarray(pooled / norms, dtype=np.float32)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = self._norm(h, "embeddings.LayerNorm")
        padding = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # padded keys get no attention
        for layer in range(self.layers):
            h = self._layer(h, padding, f"encoder.layer.{layer}.")
        return h

    def _layer(self, h: np.ndarray, padding: np.ndarray, p: str) -> np.ndarray:
        batch, n, width = h.shape
        size = width // self.heads

        def heads(name: str) -> np.ndarray:
            projected = self._dense(h, p + f"attention.self.{name}")
            return projected.reshape(batch, n, self.heads, size).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + padding
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        context = context.transpose(0, 2, 1, 3).reshape(batch, n, width)
        h = self._norm(
            self._dense(context, p + "attention.output.dense") + h, p + "attention.output.LayerNorm"
        )
        inner = _gelu(self._dense(h, p + "intermediate.dense"))
        return self._norm(self._dense(inner, p + "output.dense") + h, p + "output.LayerNorm")

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.weights[name + ".weight"].T + self.weights[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.weights[name + ".weight"] + self.weights[
            name + ".bias"
        ]


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # the exact GELU BERT was trained with, not the tanh approximation

    return np.asarray(0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0)))), dtype=np.float32)


def load(folder: Path) -> QueryEncoder | None:
    """The numpy encoder for a sentence-transformers folder, or None when it is not a plain mean-pooled BERT."""
    try:
        modules = [m["type"] for m in json.loads((folder / "modules.json").read_text(encoding="utf-8"))]
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    plain = (
        modules == _MODULES
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(
            pooling.get(k) for k in pooling if k.startswith("pooling_mode_") and "mean_tokens" not in k
        )
        and (folder / "model.safetensors").is_file()
        and (folder / "tokenizer.json").is_file()
    )
    return QueryEncoder(folder, config, int(st_config.get("max_seq_length", 256))) if plain else None
