"""The API's documentation page, made from its own OpenAPI schema: every route with its
parameters and answers, and a link to try each that needs no parameter. The site's own
page (its styles, its CSP, accessible), not a third-party viewer."""

from django.shortcuts import render

from exosite.kernel.parts import for_content

from .views import api

METHODS = ("get",)


def operations(schema):
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "required": parameter.get("required", False),
                    "type": type_of(parameter.get("schema", {})),
                    "description": parameter.get("description")
                    or parameter.get("schema", {}).get("description", ""),
                }
                for parameter in operation.get("parameters", ())
            ]
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": parameters,
                    "responses": sorted(operation.get("responses", {})),
                    "try": path if "{" not in path else "",
                }
            )
    return found


def type_of(schema):
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(type_of(part) for part in schema["anyOf"] if part.get("type") != "null")
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def docs(request):
    return render(request, "api/docs.html", for_content("api-docs", described))


def described():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        "info": schema["info"],
        "openapi_version": schema["openapi"],
        "operations": operations(schema),
    }
