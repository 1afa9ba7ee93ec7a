"""channels/graph_runner.py: the prediction graph run without dask gives what Rasa's
DaskGraphRunner gives, on the assistant's own model: every parse of the held-out messages and
every action prediction along every story and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from channels import graph_runner

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "sathi.tar.gz"


def _runner(cls, tmp_path):
    from rasa.engine.loader import load_predict_graph_runner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    return load_predict_graph_runner(tmp_path, MODEL, LocalModelStorage, cls)


@pytest.fixture(scope="module")
def runners(tmp_path_factory):
    from rasa.engine.runner.dask import DaskGraphRunner

    assert MODEL.exists(), f"{MODEL} is missing: `make train` first (make test does it)"
    metadata, dask_runner = _runner(DaskGraphRunner, tmp_path_factory.mktemp("dask"))
    _, sequential = _runner(graph_runner.SequentialGraphRunner, tmp_path_factory.mktemp("seq"))
    return metadata, dask_runner, sequential


def _messages():
    from rasa.shared.nlu.training_data.loading import load_data

    texts = []
    for path in sorted((ROOT / "eval").glob("heldout*/*.yml")):
        texts += [m.get("text") for m in load_data(str(path)).intent_examples]
    texts += ["", "???", "a" * 5000, "/greet", '/set_language{"language":"bn"}']
    assert len(texts) > 300
    return texts


def test_parses_are_the_same(runners):
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.trackers import DialogueStateTracker

    metadata, dask_runner, sequential = runners
    target = metadata.nlu_target
    for text in _messages():
        outputs = []
        for runner in (dask_runner, sequential):
            tracker = DialogueStateTracker("graph-runner-test", [])
            result = runner.run(
                inputs={
                    PLACEHOLDER_MESSAGE: [UserMessage(text, message_id="m-1")],
                    PLACEHOLDER_TRACKER: tracker,
                },
                targets=[target],
            )
            assert list(result) == [target]
            outputs.append([m.as_dict(only_output_properties=True) for m in result[target]])
        assert outputs[0] == outputs[1], text


def test_predictions_are_the_same(runners, domain, story_event_lists):
    from rasa.engine.constants import PLACEHOLDER_TRACKER
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    metadata, dask_runner, sequential = runners
    target = metadata.core_target
    compared = 0
    for name, events in story_event_lists:
        for cut in range(1, len(events) + 1):
            if not isinstance(events[cut - 1], ActionExecuted) and cut != len(events):
                continue
            predictions = []
            for runner in (dask_runner, sequential):
                tracker = DialogueStateTracker.from_events(
                    f"{name}-{id(runner)}", events[:cut], domain.slots
                )
                prediction = runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[target])[
                    target
                ]
                predictions.append(
                    (
                        prediction.policy_name,
                        prediction.max_confidence_index,
                        [round(p, 9) for p in prediction.probabilities],
                        prediction.events,
                        prediction.optional_events,
                        prediction.is_end_to_end_prediction,
                        prediction.is_no_user_prediction,
                        prediction.action_metadata,
                    )
                )
            assert predictions[0] == predictions[1], (name, cut)
            compared += 1
    assert compared > 300


def test_a_missing_input_fails_as_with_dask(runners):
    from rasa.engine.exceptions import GraphRunError

    metadata, dask_runner, sequential = runners
    errors = []
    for runner in (dask_runner, sequential):
        with pytest.raises(Exception) as raised:
            runner.run(inputs={}, targets=[metadata.core_target])
        errors.append(type(raised.value))
    assert errors[0] is errors[1]
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        sequential.run(inputs={"x": metadata.core_target}, targets=[metadata.core_target])


def test_installed_for_the_message_processor_and_undone():
    import rasa.core.processor
    from rasa.engine.runner.dask import DaskGraphRunner

    before = rasa.core.processor.DaskGraphRunner
    try:
        graph_runner.install()
        graph_runner.install()
        assert rasa.core.processor.DaskGraphRunner is graph_runner.SequentialGraphRunner
        assert graph_runner.installed()
        graph_runner.uninstall()
        assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner
    finally:
        rasa.core.processor.DaskGraphRunner = before


def test_the_assistant_s_nlg_installs_it():
    import rasa.core.processor

    from channels.document_nlg import DocumentAwareNLG

    before = rasa.core.processor.DaskGraphRunner
    try:
        graph_runner.uninstall()
        DocumentAwareNLG()
        assert graph_runner.installed()
    finally:
        rasa.core.processor.DaskGraphRunner = before
