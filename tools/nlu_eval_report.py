"""The scores and the report of tools/nlu_eval.py: intent accuracy and macro-F1 per register,
confusions, entity precision / recall / F1, fallback thresholds (`score`), and report.md
(`markdown`). The training, the held-out sets and the command line stay in tools/nlu_eval.py.
"""

from __future__ import annotations

import collections

REGISTERS = ("bn", "en", "romanized", "mixed")


def top_intent(parsed):
    """(name, confidence) of the top intent other than nlu_fallback."""
    ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
    if ranking:
        return ranking[0]["name"], float(ranking[0]["confidence"])
    intent = parsed.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _map_span(original: str, normalized: str, entity):
    """Gold spans are on the raw text; predictions are on the normalized text."""
    from sathi.text import normalize

    value = normalize(original[entity["start"] : entity["end"]])
    guess = len(normalize(original[: entity["start"]]))
    position = normalized.find(value, max(0, guess - 2))
    if position < 0:
        position = normalized.find(value)
    return (position, position + len(value)) if position >= 0 else (guess, guess + len(value))


def score(rows, parsed_list):
    from sklearn.metrics import f1_score

    from sathi.text import normalize

    results = []
    for row, parsed in zip(rows, parsed_list):
        predicted, confidence = top_intent(parsed)
        normalized = normalize(row["text"])
        gold = [(e["entity"], *_map_span(row["text"], normalized, e)) for e in row["entities"]]
        pred = [(e["entity"], e["start"], e["end"]) for e in parsed.get("entities") or []]
        pred = sorted(set(pred))
        results.append(
            {
                "text": row["text"],
                "register": row["register"],
                "intent": row["intent"],
                "predicted": predicted,
                "confidence": round(confidence, 4),
                "fallback": (parsed.get("intent") or {}).get("name") == "nlu_fallback",
                "gold_entities": gold,
                "predicted_entities": pred,
            }
        )

    def intent_metrics(subset):
        if not subset:
            return None
        y_true = [r["intent"] for r in subset]
        y_pred = [r["predicted"] for r in subset]
        labels = sorted(set(y_true))
        return {
            "n": len(subset),
            "accuracy": round(sum(a == b for a, b in zip(y_true, y_pred)) / len(subset), 4),
            "macro_f1": round(
                float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4
            ),
        }

    report = {
        "overall": intent_metrics(results),
        "per_register": {
            reg: intent_metrics([r for r in results if r["register"] == reg]) for reg in REGISTERS
        },
    }
    confusions = collections.Counter(
        (r["intent"], r["predicted"]) for r in results if r["intent"] != r["predicted"]
    )
    report["top_confusions"] = [
        {"gold": g, "predicted": p, "count": c} for (g, p), c in confusions.most_common(10)
    ]
    counts = collections.defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for r in results:
        matched_pred = set()
        for entity, start, end in r["gold_entities"]:
            hit = next(
                (
                    i
                    for i, (e, s, t) in enumerate(r["predicted_entities"])
                    if e == entity and s < end and start < t and i not in matched_pred
                ),
                None,
            )
            if hit is None:
                counts[entity]["fn"] += 1
            else:
                matched_pred.add(hit)
                counts[entity]["tp"] += 1
        for i, (entity, _, _) in enumerate(r["predicted_entities"]):
            if i not in matched_pred:
                counts[entity]["fp"] += 1
    entities = {}
    for entity, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        entities[entity] = {
            **c,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    p = total["tp"] / (total["tp"] + total["fp"]) if total["tp"] + total["fp"] else 0
    rc = total["tp"] / (total["tp"] + total["fn"]) if total["tp"] + total["fn"] else 0
    entities["_micro"] = {**total, "f1": round(2 * p * rc / (p + rc), 4) if p + rc else 0.0}
    report["entities"] = entities
    thresholds = {}
    for t in (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        kept = [r for r in results if r["confidence"] >= t]
        thresholds[str(t)] = {
            "coverage": round(len(kept) / len(results), 4) if results else 0,
            "accuracy_of_kept": round(
                sum(r["intent"] == r["predicted"] for r in kept) / len(kept), 4
            )
            if kept
            else 0,
            "errors_caught": sum(
                r["intent"] != r["predicted"] for r in results if r["confidence"] < t
            ),
        }
    report["fallback_thresholds"] = thresholds
    # what the configured FallbackClassifier (threshold + ambiguity) actually did
    report["configured_fallback"] = {
        "rate": round(sum(r["fallback"] for r in results) / len(results), 4) if results else 0,
        "on_correct": sum(r["fallback"] and r["intent"] == r["predicted"] for r in results),
        "on_errors": sum(r["fallback"] and r["intent"] != r["predicted"] for r in results),
    }
    report["errors"] = [
        {k: r[k] for k in ("register", "text", "intent", "predicted", "confidence")}
        for r in results
        if r["intent"] != r["predicted"]
    ]
    report["entity_errors"] = [
        {"text": r["text"], "gold": r["gold_entities"], "predicted": r["predicted_entities"]}
        for r in results
        if sorted(r["gold_entities"]) != sorted(r["predicted_entities"])
    ][:40]
    return report


def markdown(result, heldout_sets) -> str:
    """report.md: per pipeline, every held-out set of `heldout_sets` and the CV."""
    lines = ["# NLU evaluation report", "", f"Training examples: {result['n_train']}"]
    for name in heldout_sets:
        lines.append(
            f"- {name}: {result['n_' + name]} messages (dropped as duplicates of "
            f"training data after normalization: {result[name + '_overlap']})"
        )
    lines.append("")
    for name, block in result["pipelines"].items():
        lines += [f"## Pipeline `{name}`", ""]
        for split in (*heldout_sets, "cross_validation"):
            rep = block.get(split)
            if not rep:
                continue
            seconds = rep.get("training_seconds", rep.get("training_seconds_per_fold"))
            lines += [
                f"### {split} (training {seconds} s)",
                "",
                "| split | n | accuracy | macro-F1 |",
                "|---|---|---|---|",
            ]
            o = rep["overall"]
            lines.append(f"| overall | {o['n']} | {o['accuracy']} | {o['macro_f1']} |")
            for reg, m in rep["per_register"].items():
                if m:
                    lines.append(f"| {reg} | {m['n']} | {m['accuracy']} | {m['macro_f1']} |")
            lines += ["", "| entity | tp | fp | fn | F1 |", "|---|---|---|---|---|"]
            for entity, m in rep["entities"].items():
                lines.append(f"| {entity} | {m['tp']} | {m['fp']} | {m['fn']} | {m['f1']} |")
            lines += [
                "",
                "Top confusions: "
                + (
                    ", ".join(
                        f"{c['gold']} -> {c['predicted']} ({c['count']})"
                        for c in rep["top_confusions"]
                    )
                    or "none"
                ),
                "",
            ]
            cf = rep.get("configured_fallback", {})
            lines += [
                f"Configured FallbackClassifier: fallback rate {cf.get('rate')}, "
                f"on correct predictions {cf.get('on_correct')}, "
                f"on errors {cf.get('on_errors')}",
                "",
            ]
            lines += [
                "| fallback threshold | coverage | accuracy of kept | errors caught "
                "| noise caught |",
                "|---|---|---|---|---|",
            ]
            for t, m in rep["fallback_thresholds"].items():
                lines.append(
                    f"| {t} | {m['coverage']} | {m['accuracy_of_kept']} | "
                    f"{m['errors_caught']} | {m.get('noise_caught', '')} |"
                )
            lines.append("")
            if split != "cross_validation":
                lines += (
                    ["Errors:", ""]
                    + [
                        f"- [{e['register']}] {e['text']} — {e['intent']} → {e['predicted']} "
                        f"({e['confidence']})"
                        for e in rep["errors"]
                    ]
                    + [""]
                )
    return "\n".join(lines) + "\n"
