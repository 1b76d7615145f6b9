from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

from .open_data import licence

PUBLIC_PREFIX = "/api/v1/public/"


def open_datasets() -> list[dict]:
    """Each open dataset with its address, description and fields, read from the API's own
    schema: the page lists what the endpoints answer, never a copy of it."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    datasets = []
    for address, operations in sorted(schema["paths"].items()):
        if not address.startswith(PUBLIC_PREFIX) or "get" not in operations:
            continue
        operation = operations["get"]
        content = operation["responses"]["200"]["content"]["application/json"]["schema"]
        results = resolve(resolve(content)["properties"]["results"])
        row = resolve(results.get("items", results))
        datasets.append(
            {
                "address": address,
                "description": operation.get("description", ""),
                "fields": [
                    {
                        "name": name,
                        "type": spec.get("format") or spec.get("type", ""),
                        "help": spec.get("description", ""),
                    }
                    for name, spec in row.get("properties", {}).items()
                ],
            }
        )
    return datasets


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    datasets = cache.get_or_set(f"open-data:datasets:{get_language()}", open_datasets, 3600)
    return render(request, "open_data.html", {"datasets": datasets, "licence": licence()})
