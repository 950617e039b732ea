"""The reference and demo loaders that each app declares on its AppConfig, in dependency order.

An app declares, on its `AppConfig`:
- `reference_loaders`: dotted paths of functions loading its reference data (`data/…`), idempotent; each returns a
  dict `{label: created}` or a summary with `created`, `updated`, `deleted` and `changed` (the geography's);
- `demo_loaders`: dotted paths of functions `() -> {label: created}` loading its demo data, idempotent;
- `loaders_after`: labels of the apps whose loaders must run first (e.g. funding after directory);
- `reference_data`: the folder its reference loaders read, named in error messages.
`load_reference` and `load_demo` run the loaders of the installed apps: dependencies first, then in the order of
`INSTALLED_APPS`. The core commands import no domain app by name.
"""

import inspect
from collections.abc import Callable

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


def ordered_configs() -> list[AppConfig]:
    """Installed app configs, each after the apps named in its `loaders_after` (stable: INSTALLED_APPS order)."""
    configs = list(apps.get_app_configs())
    by_label = {config.label: config for config in configs}
    done: list[AppConfig] = []
    visiting: set[str] = set()

    def visit(config: AppConfig) -> None:
        if config in done:
            return
        if config.label in visiting:
            raise RuntimeError(f"Dépendances circulaires entre chargeurs : {config.label}")
        visiting.add(config.label)
        for label in getattr(config, "loaders_after", ()):
            if label in by_label:
                visit(by_label[label])
        visiting.discard(config.label)
        done.append(config)

    for config in configs:
        visit(config)
    return done


def loaders(kind: str) -> list[tuple[AppConfig, Callable]]:
    """`kind` is "reference" or "demo": every (app config, loader function), in order."""
    attribute = f"{kind}_loaders"
    return [
        (config, import_string(path))
        for config in ordered_configs()
        for path in getattr(config, attribute, ())
    ]


def call(loader: Callable, **kwargs):
    """Call a loader with the keyword arguments it accepts (e.g. `progress`)."""
    parameters = inspect.signature(loader).parameters
    return loader(**{name: value for name, value in kwargs.items() if name in parameters})
