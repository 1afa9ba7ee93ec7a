"""Rasa's prediction graph run in plain topological order instead of through dask.

Rasa 3.6 runs its prediction graph (`DaskGraphRunner.run`) once to parse every message and
once for every action prediction (2-4 times a turn). Each run recomputes the minimal schema
of the targets (a recursive walk of the graph), builds a dask graph from it and hands it to
dask's synchronous scheduler, whose bookkeeping (task ordering, dependency states, callbacks)
cost about as much CPU as the policies themselves (docs/performance.md, round 3).

`SequentialGraphRunner` computes, once per set of targets, the nodes that run and their
order (from Rasa's own `minimal_graph_schema`), then calls the very same `GraphNode`s one
after the other, each with the results of the nodes it needs, exactly as dask calls them:
same nodes, same inputs, same outputs, same errors (`GraphRunError` for a RuntimeError, the
node's own exception otherwise). The graph is a tree of pure calls, so the order among
independent nodes does not matter (dask picks one of several too).

`install()` (idempotent; channels/document_nlg.py, before the model is loaded) makes Rasa's
message processor load its model with this runner; training keeps dask.
"""

from __future__ import annotations

from typing import Any

import rasa.core.processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

_Plan = tuple[tuple[str, Any, tuple[str, ...]], ...]  # (node name, GraphNode, names it needs)


class SequentialGraphRunner(DaskGraphRunner):
    """`DaskGraphRunner` without dask: same nodes, same order constraints, same results."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, ...], tuple[_Plan, frozenset[str]]] = {}

    def _plan(self, targets: tuple[str, ...]) -> tuple[_Plan, frozenset[str]]:
        cached = self._plans.get(targets)
        if cached is not None:
            return cached
        schema = self._graph_schema.minimal_graph_schema(list(targets))
        order: list[tuple[str, Any, tuple[str, ...]]] = []
        placed: set[str] = set()

        def place(name: str, path: tuple[str, ...]) -> None:
            if name in placed or name not in schema.nodes:
                return  # done, or an input placeholder (given at run time)
            if name in path:
                raise GraphRunError(f"The graph has a cycle through '{name}'.")
            needs = tuple(schema.nodes[name].needs.values())
            for need in needs:
                place(need, (*path, name))
            placed.add(name)
            order.append((name, self._instantiated_nodes[name], needs))

        for name in sorted(schema.nodes):  # every node of the minimal schema, as dask runs them
            place(name, ())
        plan = (tuple(order), frozenset(schema.nodes))
        self._plans[targets] = plan
        return plan

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        plan, names = self._plan(tuple(run_targets))
        results: dict[str, Any] = {}
        for input_name, input_value in (inputs or {}).items():
            if isinstance(input_value, str) and input_value in names:
                raise GraphRunError(
                    f"Input value '{input_value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            results[input_name] = (input_name, input_value)
        try:
            for name, node, needs in plan:
                # a placeholder nobody gave reaches the node as its bare name, as with dask
                results[name] = node(*(results.get(need, need) for need in needs))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return dict(results[target] for target in run_targets)


def installed() -> bool:
    return rasa.core.processor.DaskGraphRunner is SequentialGraphRunner


def install() -> None:
    """Idempotent: Rasa's message processor loads its models with `SequentialGraphRunner`."""
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner


def uninstall() -> None:
    rasa.core.processor.DaskGraphRunner = DaskGraphRunner
