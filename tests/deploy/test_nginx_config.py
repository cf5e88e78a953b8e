"""deploy/nginx.conf on its own: nginx accepts it, and its Content-Security-Policy lets the built site run."""


def test_nginx_accepts_the_shipped_locations_inside_a_server_block(nginx, tmp_path):
    # nginx -t would need root's paths; starting it is the stronger check, and the fixture fails if it cannot.
    url = nginx(tmp_path)
    assert url.startswith("http://127.0.0.1:") and url.endswith("/privacy/")


def test_the_csp_has_no_unsafe_inline_and_a_frame_policy(kit):
    csp = kit.shipped_csp()
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    # Yandex Metrica: its tag, its hits and Webvisor's frames.
    assert "https://mc.yandex.ru" in csp["script-src"]
    for directive in ("img-src", "connect-src", "frame-src"):
        assert "https://mc.yandex.ru" in csp[directive], directive


def test_every_inline_script_of_this_repository_s_site_is_allowed_by_the_csp(kit, repo_site):
    found = kit.inline_script_hashes(repo_site)
    assert found, "Material's pages have inline scripts: finding none means the check is broken"
    missing = {digest: pages for digest, pages in found.items() if digest not in kit.shipped_csp()["script-src"]}
    assert not missing, (
        "Inline scripts the CSP of deploy/nginx.conf would block: add each hash to its script-src "
        f"(or move the script to a file): {missing}"
    )


def test_the_inline_styles_of_this_repository_s_site_are_allowed_by_the_csp(kit, repo_site):
    found = kit.inline_style_hashes(repo_site)
    # One element, the same on every page (the plugin's and the banner's styles): one hash in the CSP.
    assert len(found) == 1, f"expected the plugin's one inline <style> on every page: {found}"
    missing = {digest: pages for digest, pages in found.items() if digest not in kit.shipped_csp()["style-src"]}
    assert not missing, (
        "Inline styles the CSP of deploy/nginx.conf would block: replace the old hash in its style-src by "
        f"{', '.join(missing)} (the plugin's or the banner's CSS changed)"
    )
