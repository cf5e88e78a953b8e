"""deploy/nginx.conf on its own: nginx accepts it, and its Content-Security-Policy lets the built site run."""

import subprocess

import servers
from support import REPO


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


def test_there_is_one_documented_way_to_install_the_nginx_part_and_nginx_t_accepts_it(nginx, tmp_path):
    # Where the shipped files say they go, the operator's guide says too, and the test server is laid out so.
    http_part = servers.NGINX_HTTP_CONF.read_text(encoding="utf-8")
    locations = servers.NGINX_CONF.read_text(encoding="utf-8")
    guide = (REPO / "guides" / "operator.md").read_text(encoding="utf-8")
    for path in (f"/etc/nginx/{servers.SHIPPED_HTTP_INCLUDE}", f"/etc/nginx/{servers.SHIPPED_SERVER_INCLUDE}"):
        assert path in http_part and path in locations and path in guide, path
    assert "include /etc/nginx/conf.d" not in http_part + locations, "conf.d is included by Debian's nginx.conf"
    assert "snippets/alectro-privacy-http.conf" not in http_part + locations + guide

    prefix = tmp_path / "nginx"
    prefix.mkdir()
    nginx(tmp_path / "site", prefix=prefix)
    executable = servers.find_nginx()
    tested = subprocess.run(
        [executable, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True
    )
    assert tested.returncode == 0 and "test is successful" in tested.stderr, tested.stderr
    # Included a second time (the two ways an older guide and an older comment gave): nginx -t refuses.
    config = (prefix / "nginx.conf").read_text(encoding="utf-8")
    twice = prefix / "twice.conf"
    twice.write_text(
        config.replace(
            "include " + str(prefix / "conf.d"),
            f"include {servers.NGINX_HTTP_CONF};\n    include " + str(prefix / "conf.d"),
        )
    )
    refused = subprocess.run([executable, "-t", "-p", str(prefix), "-c", str(twice)], capture_output=True, text=True)
    assert refused.returncode != 0 and "duplicate" in refused.stderr, refused.stderr
