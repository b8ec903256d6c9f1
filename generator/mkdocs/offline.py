"""A share's MkDocs settings: a site that opens from disk (``file://``) with search, no edit links,
and nothing fetched from another host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

#: Where the share publishes the iframe-worker shim; the name must contain "iframe-worker" so that
#: Material's offline plugin does not add its own copy from unpkg.com.
SHIM_URI = "assets/javascripts/iframe-worker/shim.js"


def for_file_system(config: MkDocsConfig) -> None:
    """MkDocs settings of a share: opens from disk with search, no edit links, nothing from other hosts."""
    from material.plugins.offline.plugin import OfflinePlugin

    for key in ("repo_url", "repo_name", "edit_uri", "edit_uri_template", "site_url"):
        config[key] = None
    config["use_directory_urls"] = False
    extra: Any = config.extra
    for key in ("analytics", "consent"):
        if key in extra:
            del extra[key]
    polyfills = [p for p in extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    extra["polyfills"] = [*polyfills, SHIM_URI]
    if not any(isinstance(p, OfflinePlugin) for p in config.plugins.values()):
        offline = OfflinePlugin()
        offline.load_config({}, config.config_file_path)
        config.plugins["material/offline"] = offline
