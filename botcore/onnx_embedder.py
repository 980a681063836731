"""The query-time embedder: the bundled all-MiniLM-L6-v2, exported to ONNX, run by
onnxruntime and tokenized by the ``tokenizers`` package directly.

It imports numpy, onnxruntime and tokenizers only. torch, transformers and
sentence-transformers cost about 4 s and 370 MiB to import, just to run a 6-layer forward
pass that onnxruntime runs in a few milliseconds (shared/reviews/performance-2026-12.md).
The graph is made from the bundled weights by ``botcore.onnx_export`` and proved equal
to sentence-transformers before it is used (``botcore.model_store``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

MAX_TOKENS = 256
"""sentence-transformers' ``max_seq_length`` for this model (sentence_bert_config.json).
The bundled ``tokenizer.json`` says 128 and pads every text to 128: used as shipped it
would truncate 35 of the index's views and make every query ~10x the work."""
QUESTION_TEXTS = 12
"""Up to this many texts are one question's (whole, clauses, variants): one padded batch
on the one-thread query session (measured: cheaper than runs of similar length, whose
every extra call costs more than the padding it saves). More: an index build, all cores."""
SUB_BATCH = 16
"""Batch size for long lists (index builds): texts sorted by length, so a batch pads to
nearly its own length instead of the longest passage's."""
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
NO_SPIN = ("session.intra_op.allow_spinning", "session.inter_op.allow_spinning")
"""Set to "0" on the one-thread query session (issue 13: no thread spinning on the second
core after a question). With one thread there is no pool to spin; this keeps it so."""


def load_tokenizer(path: Path):  # noqa: ANN201 - tokenizers.Tokenizer, imported lazily
    """The bundled tokenizer with sentence-transformers' settings: truncation at
    ``MAX_TOKENS`` tokens, padding to the longest text of a batch."""
    from tokenizers import Tokenizer  # noqa: PLC0415

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    pad = "[PAD]"
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad) or 0, pad_token=pad)
    return tokenizer


def batch_feeds(tokenizer, texts: list[str]) -> dict[str, np.ndarray]:  # noqa: ANN001
    """The model's inputs for one batch: token ids, attention mask and token types,
    padded on the right to the longest text, exactly as ``encode_batch`` pads them.

    A question's few texts are tokenized one by one: ``encode_batch`` hands even a single
    short text to its thread pool, and that costs more than the tokenizing (0.10-0.12 ms
    a call against 0.06 ms, on the eval questions' batches)."""
    if len(texts) > QUESTION_TEXTS:
        batch = tokenizer.encode_batch(texts)
        return {"input_ids": np.array([e.ids for e in batch], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64)}
    encodings = [tokenizer.encode(t) for t in texts]
    padding = tokenizer.padding or {}
    pads = {"input_ids": int(padding.get("pad_id", 0)), "attention_mask": 0,
            "token_type_ids": int(padding.get("pad_type_id", 0))}
    width = max((len(e.ids) for e in encodings), default=0)
    out = {name: np.full((len(texts), width), pads[name], dtype=np.int64) for name in INPUTS}
    for row, e in enumerate(encodings):
        out["input_ids"][row, : len(e.ids)] = e.ids
        out["attention_mask"][row, : len(e.ids)] = e.attention_mask
        out["token_type_ids"][row, : len(e.ids)] = e.type_ids
    return out


def _session(model_file: Path, threads: int):  # noqa: ANN202 - onnxruntime.InferenceSession
    import onnxruntime as ort  # type: ignore[import-untyped]  # noqa: PLC0415

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if threads == 1:  # a question's session: no pool thread may wait spinning on a core
        for key in NO_SPIN:
            options.add_session_config_entry(key, "0")
    # Optimised once, at export (botcore.onnx_export.optimize_graph): not again per start.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3  # errors only: nothing on a patient's terminal
    # The path, not bytes: onnxruntime memory-maps the external weights file, which
    # keeps them shared between processes (browser tabs) and out of private memory.
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


class OnnxEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime: L2-normalised mean-pooled vectors, the same as
    ``SentenceTransformer.encode(normalize_embeddings=True)`` (proved at export)."""

    dim = 384

    def __init__(self, model_file: Path, tokenizer_file: Path, name: str) -> None:
        self.name = name
        self.model_file = model_file
        self._tokenizer = load_tokenizer(tokenizer_file)
        # One thread for questions: a 13-token pass is far too small to split, and on a
        # shared 2-core machine a second thread only spins. Builds get their own session.
        self._query = _session(model_file, 1)
        self._build = None
        self._cores = max(1, min(4, os.cpu_count() or 1))

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text without padding (compared with the reference's)."""
        return [[i for i, m in zip(e.ids, e.attention_mask, strict=True) if m]
                for e in self._tokenizer.encode_batch(texts)]

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= QUESTION_TEXTS:  # one question's texts: one call, one thread
            return self._run(self._query, texts)
        if self._build is None:
            self._build = _session(self.model_file, self._cores)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), SUB_BATCH):
            rows = order[start : start + SUB_BATCH]
            out[rows] = self._run(self._build, [texts[i] for i in rows])
        return out

    def _run(self, session: object, texts: list[str]) -> np.ndarray:
        feeds = batch_feeds(self._tokenizer, texts)
        (vectors,) = session.run(["embedding"], feeds)  # type: ignore[attr-defined]
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

