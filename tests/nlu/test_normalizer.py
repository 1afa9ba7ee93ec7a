"""sathi_nlu.normalizer.TextNormalizer: a pre-tokenizer graph component."""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sathi_nlu.normalizer import TextNormalizer

YA_DECOMPOSED = "\u09af\u09bc"  # য + nukta


def _component():
    return TextNormalizer.create({}, None, None, None)


def test_registered_as_tokenizer_type_so_it_runs_in_pipeline_order():
    registered = DefaultV1Recipe._registered_components["TextNormalizer"]
    assert DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER in registered.types
    assert not registered.is_trainable


def test_process_normalizes_digits_danda_zero_width_and_nukta():
    message = Message(data={"text": "জব\u200c কার্ড ০৮।  কা" + YA_DECOMPOSED})
    _component().process([message])
    assert message.get("text") == "জব কার্ড 08. কা\u09df"


def test_process_leaves_clean_text_and_odd_input_alone():
    clean = Message(data={"text": "payslip for october"})
    empty = Message(data={"text": ""})
    _component().process([clean, empty])
    assert clean.get("text") == "payslip for october"
    assert empty.get("text") == "?", "an empty message gets one token (Rasa 3.6 crashes without)"


def test_training_entities_follow_the_normalized_text():
    text = "আমার  জব কার্ড WB-০৮-০১২-০০২-০০২/২৭০ আর \u200b[৫ দিন]"
    value = "WB-০৮-০১২-০০২-০০২/২৭০"
    start = text.index(value)
    days_start = text.index("৫ দিন")
    message = Message(
        data={
            "text": text,
            "intent": "inform",
            "entities": [
                {"entity": "job_card", "start": start, "end": start + len(value), "value": value},
                {"entity": "days", "start": days_start, "end": days_start + 5, "value": "৫ দিন"},
            ],
        }
    )
    data = TrainingData(training_examples=[message])
    _component().process_training_data(data)
    new_text = message.get("text")
    job, days = message.get("entities")
    assert new_text[job["start"] : job["end"]] == "WB-08-012-002-002/270" == job["value"]
    assert new_text[days["start"] : days["end"]] == "5 দিন" == days["value"]


def test_synonym_values_are_kept():
    word = "বাংলা" + YA_DECOMPOSED  # typed with a decomposed য়
    message = Message(
        data={
            "text": word + "  বলুন",
            "intent": "set_language",
            "entities": [{"entity": "language", "start": 0, "end": len(word), "value": "bn"}],
        }
    )
    _component().process_training_data(TrainingData(training_examples=[message]))
    entity = message.get("entities")[0]
    assert entity["value"] == "bn"
    assert message.get("text")[entity["start"] : entity["end"]] == "বাংলা\u09df"


def test_config_lists_normalizer_first():
    from pathlib import Path

    import yaml

    config = yaml.safe_load((Path(__file__).parents[2] / "config.yml").read_text())
    assert config["pipeline"][0]["name"] == "sathi_nlu.normalizer.TextNormalizer"
