"""The bundled policies (``default``, ``strict``, ``permissive``) as YAML files in this package."""
