"""Exporting the bundled model to ONNX, and proving the export gives the same vectors.

Build-time only: this is the one module besides the reference embedder that imports
torch, and only ``botcore.model_store`` calls it, when the exported model is missing,
stale, or has not yet been checked on some of the index's texts. It runs offline from
the installed package's weights (the hub's offline switches are set first).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from botcore.config import force_offline

OPSET = 17
MIN_COSINE = 0.99999
"""The export is used only if every probe text's vector has at least this cosine with
sentence-transformers' (observed: 0.99999988) and the same token ids."""
GRAPH_FILE, DATA_FILE = "model.onnx", "model.onnx.data"
RAW_DATA_FILE = "raw.onnx.data"
"""The exporter's weights before onnxruntime optimises the graph (deleted after)."""

EDGE_CASES: tuple[str, ...] = (
    "", " ", "a", "ATC", "?", "what is a tracheostomy", "  what is hospice  ",
    "se salió la cánula, ¿qué hago?", "甲状腺未分化癌是什么", "что такое анапластический рак",
    "my dad can't breathe 😟🙏", "café naïve résumé Ångström", "tra\u200bcheostomy tube",
    "\x1b[31mred alert\x1b[0m", "line one\nline two\tthree", "BRAF V600E dabrafenib+trametinib",
    " ".join(["word"] * 200),  # 202 tokens: over the shipped 128, under the reference's 256
    " ".join(["x"] * 300),     # over 256: both must truncate at the same place
    " ".join(f"term{i}" for i in range(400)),
)
"""Texts the index may never hold but a question may: empty, one token, over 128 and over
256 tokens, non-ASCII, control characters. Checked on every export with the index's texts."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Probe:
    """The outcome of comparing the export with the reference on a set of texts."""

    texts: int
    token_ids_equal: bool
    min_cosine: float
    max_abs_diff: float
    failure: str = ""
    """Empty when the export passed; else what failed, for the manifest and the log."""

    @property
    def passed(self) -> bool:
        return not self.failure


def export_graph(model_dir: Path, out_dir: Path) -> None:
    """Write ``model.onnx`` (the graph) and ``model.onnx.data`` (the weights, memory-mapped
    by onnxruntime) for input ids, attention mask and token types -> mean-pooled,
    L2-normalised embedding, with dynamic batch and sequence axes."""
    force_offline()
    import onnx  # noqa: PLC0415 - build-time only
    import torch  # noqa: PLC0415
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True,
                                model_kwargs={"attn_implementation": "eager"})
    wrapped = _Pooled(model[0].auto_model, torch).eval()
    sample = model.preprocess(["what is a tracheostomy", "a short one"])
    args = tuple(sample[name] for name in ("input_ids", "attention_mask", "token_type_ids"))
    axes = {n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    raw = out_dir / "raw.onnx"
    with torch.no_grad(), warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation and tracer notes
        torch.onnx.export(wrapped, args, str(raw), input_names=list(axes),
                          output_names=["embedding"],
                          dynamic_axes={**axes, "embedding": {0: "batch"}},
                          opset_version=OPSET, dynamo=False)
    graph = onnx.load(str(raw))
    raw.unlink()
    onnx.save_model(graph, str(raw), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=RAW_DATA_FILE, size_threshold=1024)
    optimize_graph(raw, out_dir / GRAPH_FILE)
    raw.unlink()
    (out_dir / RAW_DATA_FILE).unlink()


def optimize_graph(source: Path, target: Path) -> None:
    """Write ``source`` as onnxruntime optimises it (node fusions, constant folding; the
    "extended" level, which holds on any CPU), its weights beside it in ``DATA_FILE``.

    onnxruntime does this at every session start otherwise: about 55 ms of every launch
    of ``ask`` and the app. Loaded with optimisation off (``botcore.onnx_embedder``), the
    saved graph computes exactly what the runtime-optimised one did; the comparison with
    the reference (:func:`compare`) runs on this file."""
    import onnxruntime as ort  # type: ignore[import-untyped]  # noqa: PLC0415

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(target)
    options.log_severity_level = 3
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_file_name", DATA_FILE)
    options.add_session_config_entry(
        "session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])


def _Pooled(bert: Any, torch: Any) -> Any:  # noqa: N802 - a class factory
    """The transformer followed by sentence-transformers' mean pooling and Normalize."""
    nn = torch.nn

    class Pooled(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN202
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return nn.functional.normalize(mean, p=2, dim=1)

    return Pooled()


def reference_token_ids(reference: object, texts: Sequence[str]) -> list[list[int]]:
    """Token ids as sentence-transformers makes them (its own tokenizer and settings)."""
    model = reference._model  # type: ignore[attr-defined]
    out: list[list[int]] = []
    for start in range(0, len(texts), 64):
        features = model.preprocess(list(texts[start : start + 64]))
        for ids, mask in zip(features["input_ids"].tolist(), features["attention_mask"].tolist(),
                             strict=True):
            out.append([i for i, m in zip(ids, mask, strict=True) if m])
    return out


def compare(candidate: object, reference: object, texts: Sequence[str],
            progress: Progress | None = None) -> Probe:
    """Token ids equal, and cosine >= MIN_COSINE for every text, encoded by the candidate
    one at a time and in threes (as a question and its variants are) and in batches of 64
    (as index builds are)."""
    texts = list(texts)
    ours = candidate.token_ids(texts)  # type: ignore[attr-defined]
    theirs = reference_token_ids(reference, texts)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a != b:
            return Probe(len(texts), False, float("nan"), float("nan"),
                         f"token ids differ on probe text {i} ({len(a)} vs {len(b)} tokens)")
    passes = [(reference.encode, 64), (candidate.encode, 64),  # type: ignore[attr-defined]
              (candidate.encode, 1), (candidate.encode, 3)]  # type: ignore[attr-defined]
    total = len(passes) * len(texts)
    want, *got = [_encode_in_steps(encode, texts, step, progress, n * len(texts), total)
                  for n, (encode, step) in enumerate(passes)]
    cos = np.min([(want * g).sum(1) for g in got], axis=0).astype(np.float64)
    diff = float(max(np.abs(want - g).max(initial=0) for g in got))
    worst = int(np.argmin(cos)) if len(cos) else -1
    low = float(cos.min()) if len(cos) else 1.0
    if not np.isfinite(low) or low < MIN_COSINE:
        return Probe(len(texts), True, low, diff,
                     f"cosine {low:.7f} < {MIN_COSINE} on probe text {worst}")
    return Probe(len(texts), True, low, diff)


def _encode_in_steps(encode: Callable[[list[str]], np.ndarray], texts: list[str], step: int,
                     progress: Progress | None, offset: int, total: int) -> np.ndarray:
    chunks = []
    for start in range(0, len(texts), step):
        chunks.append(encode(texts[start : start + step]))
        if progress is not None and (start // step) % max(1, 64 // step) == 0:
            progress(offset + min(start + step, len(texts)), total)
    if progress is not None:
        progress(offset + len(texts), total)
    return np.vstack(chunks).astype(np.float32) if chunks else np.zeros((0, 384), np.float32)
