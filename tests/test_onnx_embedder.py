"""The ONNX embedder: the same vectors and rankings as sentence-transformers, a model
cache that is refused when stale or unproved, and a run-time path without torch.

The unit tests at the top use stand-ins and run in the quick tier; the ``model`` tests
compare the real export with the real reference on every index text and eval question.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from botcore import model_store, onnx_export
from botcore.embedder import HashingEmbedder
from botcore.index import index_texts
from botcore.onnx_embedder import INPUTS, MAX_TOKENS, QUESTION_TEXTS, batch_feeds, load_tokenizer

REPO = Path(__file__).resolve().parent.parent
MODEL_LIBRARIES = ("torch", "transformers", "sentence_transformers")


# -- tokenizer settings (tokenizers only: quick) -----------------------------------------------

def test_tokenizer_uses_the_references_limit_not_the_shipped_128() -> None:
    tokenizer = load_tokenizer(model_store.bundled_model_dir() / "tokenizer.json")
    short = tokenizer.encode("what is a tracheostomy")
    assert len(short.ids) < 12 and 0 not in short.ids  # not padded to a fixed 128
    assert len(tokenizer.encode(" ".join(["word"] * 200)).ids) == 202  # not cut at 128
    assert len(tokenizer.encode(" ".join(["x"] * 300)).ids) == MAX_TOKENS == 256
    batch = tokenizer.encode_batch(["a", "what is a tracheostomy"])
    assert len(batch[0].ids) == len(batch[1].ids)  # a batch pads to its longest text
    assert batch[0].attention_mask.count(1) == 3


def test_a_questions_texts_are_padded_exactly_as_encode_batch_pads_them() -> None:
    """One question's texts are tokenized one by one and padded here: the model must get
    the very arrays ``encode_batch`` would have given it."""
    tokenizer = load_tokenizer(model_store.bundled_model_dir() / "tokenizer.json")
    edge = list(onnx_export.EDGE_CASES)
    batches = [[t] for t in edge] + [edge[i : i + n] for n in (2, 3, 5, QUESTION_TEXTS)
                                     for i in range(0, len(edge), n)]
    for texts in batches:
        got = batch_feeds(tokenizer, texts)
        want = tokenizer.encode_batch(texts)
        for name, attr in zip(INPUTS, ("ids", "attention_mask", "type_ids"), strict=True):
            expected = np.array([getattr(e, attr) for e in want], dtype=np.int64)
            assert got[name].dtype == np.int64 and np.array_equal(got[name], expected), texts


# -- the model cache: manifest, refusal, new texts (stand-ins: quick) --------------------------

class _Stand:
    """Stands in for the real export and comparison, recording what was asked."""

    def __init__(self, passes: bool) -> None:
        self.passes = passes
        self.exports = 0
        self.compared: list[list[str]] = []

    def export_graph(self, model_dir: Path, out_dir: Path) -> None:
        self.exports += 1
        (out_dir / "model.onnx").write_bytes(b"graph")
        (out_dir / "model.onnx.data").write_bytes(b"weights")

    def compare(self, candidate: object, reference: object, texts: list[str],
                progress: object = None) -> onnx_export.Probe:
        self.compared.append(list(texts))
        failure = "" if self.passes else "cosine 0.5 < 0.99999 on probe text 3"
        return onnx_export.Probe(len(texts), True, 1.0 if self.passes else 0.5, 0.0, failure)


@pytest.fixture
def stand(monkeypatch: pytest.MonkeyPatch) -> _Stand:
    fake = _Stand(passes=True)
    monkeypatch.setattr(onnx_export, "export_graph", fake.export_graph)
    monkeypatch.setattr(onnx_export, "compare", fake.compare)
    monkeypatch.setattr(model_store, "_reference", lambda: HashingEmbedder())
    monkeypatch.setattr(model_store, "_onnx",
                        lambda folder, manifest, model_dir: ("onnx", manifest))
    monkeypatch.setattr("botcore.onnx_embedder.OnnxEmbedder",
                        lambda *args, **kwargs: object())
    return fake


def _manifest(cache: Path) -> dict:
    (path,) = cache.glob("onnx-*/manifest.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_missing_model_is_exported_and_compared_on_every_text(tmp_path: Path,
                                                                stand: _Stand) -> None:
    texts = ["what is hospice", "Hospice is care for comfort."]
    kind, manifest = model_store.load_embedder(tmp_path, texts)  # type: ignore[misc]
    assert kind == "onnx" and stand.exports == 1
    assert set(texts) <= set(stand.compared[0])
    assert set(onnx_export.EDGE_CASES) <= set(stand.compared[0])
    saved = _manifest(tmp_path)
    assert saved["status"] == "verified" and saved == manifest
    assert {model_store.text_id(t) for t in texts} <= set(saved["verified_texts"])
    for name in ("model.onnx", "model.onnx.data"):
        assert len(saved["files"][name]["sha256"]) == 64
    assert saved["source"]["tokenizer_sha256"] and saved["weights_sha256"]
    # Loaded again: nothing exported, nothing compared.
    model_store.load_embedder(tmp_path, texts)
    assert stand.exports == 1 and len(stand.compared) == 1


def test_only_texts_new_since_the_export_are_compared(tmp_path: Path, stand: _Stand) -> None:
    model_store.load_embedder(tmp_path, ["old passage"])
    model_store.load_embedder(tmp_path, ["old passage", "an edited passage"])
    assert stand.exports == 1 and stand.compared[1] == ["an edited passage"]
    assert model_store.text_id("an edited passage") in _manifest(tmp_path)["verified_texts"]


def test_a_failed_comparison_refuses_the_export_and_is_remembered(tmp_path: Path,
                                                                  stand: _Stand) -> None:
    stand.passes = False
    first = model_store.load_embedder(tmp_path, ["a passage"])
    assert isinstance(first, HashingEmbedder)  # the reference (stood in for)
    saved = _manifest(tmp_path)
    assert saved["status"] == "refused" and "cosine" in saved["reason"]
    assert not list(tmp_path.glob("onnx-*/model.onnx*"))  # no unproved graph is kept
    assert isinstance(model_store.load_embedder(tmp_path, ["a passage"]), HashingEmbedder)
    assert stand.exports == 1  # remembered: no export at every start
    stand.passes = True
    kind, _ = model_store.load_embedder(tmp_path, ["a passage"], retry=True)  # type: ignore[misc]
    assert kind == "onnx" and stand.exports == 2


def test_a_new_text_that_fails_refuses_the_export(tmp_path: Path, stand: _Stand) -> None:
    model_store.load_embedder(tmp_path, ["old passage"])
    stand.passes = False
    assert isinstance(model_store.load_embedder(tmp_path, ["old passage", "odd one"]),
                      HashingEmbedder)
    assert _manifest(tmp_path)["status"] == "refused"


def test_an_export_that_raises_falls_back_to_the_reference(tmp_path: Path, stand: _Stand,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(model_dir: Path, out_dir: Path) -> None:
        raise RuntimeError("exporter broke")

    monkeypatch.setattr(onnx_export, "export_graph", broken)
    assert isinstance(model_store.load_embedder(tmp_path, ["x"]), HashingEmbedder)
    assert "exporter broke" in _manifest(tmp_path)["reason"]


def test_a_changed_graph_or_source_is_stale(tmp_path: Path, stand: _Stand) -> None:
    model_store.load_embedder(tmp_path, ["x"])
    fingerprint = model_store.source_fingerprint(model_store.bundled_model_dir())
    folder = model_store.model_folder(tmp_path, fingerprint)
    assert model_store.read_manifest(folder, fingerprint) is not None
    assert model_store.read_manifest(folder, {**fingerprint, "onnxruntime": "0.0"}) is None
    (folder / "model.onnx.data").write_bytes(b"weights, tampered")  # new size, new hash
    assert model_store.read_manifest(folder, fingerprint) is None
    model_store.load_embedder(tmp_path, ["x"])  # stale: exported again, moved into place
    assert stand.exports == 2 and model_store.read_manifest(folder, fingerprint) is not None
    (folder / "model.onnx").write_bytes(b"graph, edited")
    assert model_store.read_manifest(folder, fingerprint) is None


def test_a_second_export_finishing_later_keeps_the_first(tmp_path: Path, stand: _Stand) -> None:
    """Several browser tabs on a first run export at once: the first good one stays, so
    the index it was built with stays valid."""
    model_store.load_embedder(tmp_path, ["x"])
    fingerprint = model_store.source_fingerprint(model_store.bundled_model_dir())
    folder = model_store.model_folder(tmp_path, fingerprint)
    before = (folder / "manifest.json").read_bytes()
    model_store._export(model_store.bundled_model_dir(), tmp_path, folder, fingerprint, ["x"],
                        None)
    assert stand.exports == 2 and (folder / "manifest.json").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_the_folder_name_follows_the_source() -> None:
    base = model_store.source_fingerprint(model_store.bundled_model_dir())
    cache = Path("/cache")
    assert model_store.model_folder(cache, base) == model_store.model_folder(cache, dict(base))
    for field, value in (("tokenizer_sha256", "0" * 64), ("format", -1),
                         ("weights", {"size": 1, "mtime_ns": 1})):
        assert model_store.model_folder(cache, {**base, field: value}) != \
            model_store.model_folder(cache, base)


# -- run-time imports (fresh interpreters) ------------------------------------------------------

def _loaded_after(code: str, env: dict[str, str]) -> list[str]:
    watch = (*MODEL_LIBRARIES, "scipy", "textual", "rich")
    probe = (f"{code}\nimport sys\n"
             f"print('LOADED:' + ','.join(m for m in {watch!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("LOADED:")][-1]
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_bm25s_is_imported_without_scipy_and_scipy_still_works() -> None:
    code = ("from botcore.index import _bm25s\n_bm25s()\nimport sys\n"
            "assert 'bm25s' in sys.modules and 'scipy' not in sys.modules\n"
            "import scipy.sparse")  # the guard is lifted after the import
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture
def model_cache_env(real_engine, session_cache: Path) -> dict[str, str]:  # noqa: ANN001
    """The environment of a process that finds the session's exported model and index."""
    import os

    return {**os.environ, "ATC_GUIDE_CACHE_DIR": str(session_cache)}


def test_engine_load_and_ask_import_no_torch_scipy_or_ui(model_cache_env: dict[str, str]) -> None:
    """What ``ask`` and the app (and so each ``serve`` tab) load: ``Engine.load``."""
    code = ("from botcore.config import Settings\nfrom botcore.engine import Engine\n"
            "engine = Engine.load(Settings())\n"
            "assert engine.ask('what is a tracheostomy').status == 'answered'\n"
            "assert 'onnxruntime' in engine.report.model, engine.report.model")
    assert _loaded_after(code, model_cache_env) == []


def test_ask_command_imports_no_torch_scipy_or_ui(model_cache_env: dict[str, str]) -> None:
    code = ("import io, sys\nfrom atc_guide.cli import main\nsys.stdout = io.StringIO()\n"
            "assert main(['ask', '--json', 'what is a tracheostomy']) == 0\n"
            "sys.stdout = sys.__stdout__")
    assert _loaded_after(code, model_cache_env) == []


# -- the real export against the real reference (model) ----------------------------------------

class _MemoReference:
    """The reference embedder, remembering each call's vectors: the ranking test asks the
    same query variants in three ways, and sentence-transformers is the slow side."""

    def __init__(self) -> None:
        from botcore.embedder import MiniLMEmbedder

        self.inner = MiniLMEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self._memo: dict[tuple[str, ...], np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        key = tuple(texts)
        if key not in self._memo:
            self._memo[key] = self.inner.encode(texts)
        return self._memo[key].copy()


@pytest.fixture(scope="session")
def reference_engine(real_engine, session_cache: Path,  # noqa: ANN001, ANN201
                     tmp_path_factory: pytest.TempPathFactory):
    """The same engine on the reference embedder (its own index, built with torch)."""
    from botcore.config import Settings
    from botcore.engine import Engine

    return Engine.load(Settings(cache_dir=session_cache, data_dir=tmp_path_factory.mktemp("ref")),
                       embedder=_MemoReference())


def test_the_engine_serves_the_proved_onnx_export(real_engine, session_cache: Path) -> None:  # noqa: ANN001
    from botcore.onnx_embedder import OnnxEmbedder

    embedder = real_engine.model
    assert isinstance(embedder, OnnxEmbedder)
    (path,) = session_cache.glob("onnx-*/manifest.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["status"] == "verified" and manifest["probe"]["token_ids_equal"]
    assert manifest["probe"]["min_cosine"] >= onnx_export.MIN_COSINE
    texts = index_texts(real_engine.index.passages)
    assert {model_store.text_id(t) for t in texts} <= set(manifest["verified_texts"])
    assert manifest["graph_sha256"][:16] in embedder.name  # and so in the index key


@pytest.mark.model
def test_same_token_ids_and_vectors_as_sentence_transformers(real_engine,  # noqa: ANN001
                                                             reference_engine) -> None:  # noqa: ANN001
    """Every index text and the edge cases, single and batched, against the reference's
    own tokenizer call (not the export's helper) and the vectors of its own index."""
    import faiss

    reference = reference_engine.model.inner  # the MiniLMEmbedder behind _MemoReference
    edge = list(onnx_export.EDGE_CASES)
    texts = index_texts(real_engine.index.passages)
    ours = real_engine.model
    hf = reference._model.tokenizer
    for start in range(0, len(edge + texts), 128):
        chunk = (edge + texts)[start : start + 128]
        want = hf(chunk, truncation=True, max_length=reference._model.max_seq_length)["input_ids"]
        assert ours.token_ids(chunk) == want
    flat = faiss.downcast_index(reference_engine.index.dense.faiss_index.index)
    expected = np.vstack([reference.encode(edge), flat.reconstruct_n(0, len(texts))])
    batched = np.vstack([ours.encode(edge), ours.encode(texts)])
    single = np.vstack([ours.encode([t]) for t in edge + texts[::7]])
    picked = np.vstack([expected[: len(edge)], expected[len(edge) :][::7]])
    assert np.min(np.sum(expected * batched, axis=1)) >= onnx_export.MIN_COSINE
    assert np.min(np.sum(picked * single, axis=1)) >= onnx_export.MIN_COSINE
    assert np.abs(expected - batched).max() < 1e-5


@pytest.mark.model
def test_rankings_equal_the_references_on_the_eval_questions(real_engine,  # noqa: ANN001
                                                             reference_engine) -> None:  # noqa: ANN001
    from evals.cases import load_cases

    questions = list(dict.fromkeys(c.final_question for c in load_cases()))
    assert len(questions) > 400
    differ = []
    for q in questions:
        for mode in ("hybrid", "dense"):
            a, b = real_engine.retrieve(q, mode=mode), reference_engine.retrieve(q, mode=mode)
            if a.passage_ids != b.passage_ids or not (
                    np.isnan(a.gate) and np.isnan(b.gate) or abs(a.gate - b.gate) < 1e-5):
                differ.append((mode, q))
        mine, theirs = real_engine.ask(q), reference_engine.ask(q)
        if (mine.status, mine.reason, [s.passage_id for s in mine.snippets]) != \
                (theirs.status, theirs.reason, [s.passage_id for s in theirs.snippets]):
            differ.append(("ask", q))
    assert differ == [], f"{len(differ)} of {len(questions)} questions rank differently"


def test_the_question_session_runs_one_thread_that_never_spins(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    """Issue 13: one thread for query encodes, and no pool thread left spinning on the
    other core; an index build's session may use the cores."""
    import onnxruntime as ort  # noqa: PLC0415

    from botcore import onnx_embedder  # noqa: PLC0415

    made = []
    monkeypatch.setattr(ort, "InferenceSession",
                        lambda path, options, providers: made.append(options))
    onnx_embedder._session(tmp_path / "model.onnx", 1)
    onnx_embedder._session(tmp_path / "model.onnx", 2)
    query, build = made
    assert (query.intra_op_num_threads, query.inter_op_num_threads) == (1, 1)
    assert all(query.get_session_config_entry(k) == "0" for k in onnx_embedder.NO_SPIN)
    assert build.intra_op_num_threads == 2
