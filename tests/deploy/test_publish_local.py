"""alectro_deploy (deploy/) as the Makefile runs it, on small stand-in sites published to a directory under tmp_path."""

import hashlib
import os
import re
import stat
import subprocess
from datetime import UTC

import pytest

from support import REPO

FIRST = ("2026-01-15", "1.1. Первый пункт.")
SECOND = ("2026-05-20", "1.1. Первый пункт, уточнённый.")


@pytest.fixture(autouse=True)
def published_on_the_day_of_the_second_edition(monkeypatch):
    """Publishing refuses a new edition not dated today: these sites go live on the day of their newest edition."""
    monkeypatch.setenv("ALECTRO_TODAY", SECOND[0])


def publish(kit, site, target, *extra):
    return kit.run_publish("publish", "--site", str(site), "--target", str(target), *extra)


def live(target):
    """The release ``current`` points to, and its index page."""
    return os.readlink(target / "current"), (target / "current" / "index.html").read_text()


def releases(target):
    return sorted(path.name for path in (target / "releases").iterdir())


def two_sites(kit, tmp_path):
    one = kit.make_site(tmp_path / "site-1", kit.editions_json(kit.edition(1, *FIRST)), "edition 1")
    two = kit.make_site(
        tmp_path / "site-2", kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, *SECOND)), "edition 2"
    )
    return one, two


def test_first_publish_uploads_a_release_and_points_current_at_it(kit, tmp_path):
    site, _ = two_sites(kit, tmp_path)
    result = publish(kit, site, tmp_path / "target", "--commit", "1a2b3c4d5e6f7a8b9c0d")
    assert result.returncode == 0, result.stderr
    (name,) = releases(tmp_path / "target")
    assert re.fullmatch(r"0001-\d{8}T\d{6}Z-1a2b3c4d5e6f", name)
    assert live(tmp_path / "target") == (f"releases/{name}", (site / "index.html").read_text())
    assert f"live: {tmp_path / 'target'}/current -> releases/{name}" in result.stdout


def test_second_publish_goes_live_beside_the_first_with_unchanged_files_hard_linked(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    result = publish(kit, two, target)
    assert result.returncode == 0, result.stderr
    first, second = releases(target)
    assert live(target) == (f"releases/{second}", "<!doctype html><title>edition 2</title><h1>edition 2</h1>\n")
    asset = "assets/bundle.0123abcd.min.js"
    assert (target / "releases" / first / asset).stat().st_ino == (target / "releases" / second / asset).stat().st_ino
    assert (target / "releases" / first / "index.html").read_text() != (
        target / "releases" / second / "index.html"
    ).read_text()
    # Readable by a web server running as another user, whatever the build's umask was.
    assert stat.S_IMODE((target / "releases" / second / asset).stat().st_mode) == 0o644


def test_only_the_newest_releases_are_kept(kit, tmp_path):
    site, _ = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    for _ in range(4):
        assert publish(kit, site, target, "--keep", "2").returncode == 0
    assert [name[:4] for name in releases(target)] == ["0003", "0004"]
    assert live(target)[0].startswith("releases/0004-")


def test_pruning_keeps_the_releases_rollback_goes_back_to(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    for site in (one, two):
        assert publish(kit, site, target, "--keep", "3").returncode == 0
    first, _ = releases(target)
    assert kit.run_publish("rollback", "--target", str(target)).returncode == 0  # `first` live again
    for _ in range(2):
        assert publish(kit, two, target, "--keep", "3").returncode == 0
    # The newest three are kept, and `first` too, though older: it is the way back from the last two.
    assert releases(target)[0] == first and len(releases(target)) == 4
    for _ in range(2):
        assert kit.run_publish("rollback", "--target", str(target)).returncode == 0
    assert live(target) == (f"releases/{first}", (one / "index.html").read_text())


def test_a_build_that_rewrites_a_published_edition_is_refused_and_the_target_left_as_it_was(kit, tmp_path):
    _, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, two, target).returncode == 0
    rewritten = kit.make_site(
        tmp_path / "rewritten",
        kit.editions_json(
            kit.edition(1, FIRST[0], "1.1. Переписанный задним числом пункт."), kit.edition(2, "2026-05-21", SECOND[1])
        ),
        "rewritten",
    )
    before = kit.snapshot(target)
    result = publish(kit, rewritten, target)
    assert result.returncode == 1
    assert kit.snapshot(target) == before
    assert "Refusing to publish" in result.stderr
    assert "docs/index.md: edition 1 of 2026-01-15 would change its text" in result.stderr
    assert "docs/index.md: edition 2 would change its date from 2026-05-20 to 2026-05-21" in result.stderr
    assert "Nothing at the target was changed" in result.stderr and "--allow-history-rewrite" in result.stderr

    forced = publish(kit, rewritten, target, "--allow-history-rewrite")
    assert forced.returncode == 0, forced.stderr
    assert "warning: publishing anyway (--allow-history-rewrite)" in forced.stdout
    assert live(target)[1].endswith("<h1>rewritten</h1>\n")


def test_a_build_without_editions_json_is_refused_once_editions_are_published(kit, tmp_path):
    one, _ = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    bare = kit.make_site(tmp_path / "bare", None, "no editions")
    before = kit.snapshot(target)
    result = publish(kit, bare, target)
    assert (result.returncode, kit.snapshot(target)) == (1, before)
    assert "the new build has no editions.json: all 1 published editions would disappear" in result.stderr


def test_publishing_an_unbuilt_site_fails_before_touching_the_target(kit, tmp_path):
    result = publish(kit, tmp_path / "site", tmp_path / "target")
    assert result.returncode == 1
    assert "index.html does not exist: build the site first (make build)" in result.stderr
    assert not (tmp_path / "target").exists()


def test_rollback_makes_the_previous_release_live_and_says_which_editions_went_offline(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    assert publish(kit, two, target).returncode == 0
    first, second = releases(target)

    result = kit.run_publish("rollback", "--target", str(target))
    assert result.returncode == 0, result.stderr
    assert live(target) == (f"releases/{first}", (one / "index.html").read_text())
    assert f"(was {second})" in result.stdout
    assert "edition 2 of 2026-05-20 would disappear" in result.stdout  # the warning, not a refusal

    again = kit.run_publish("rollback", "--target", str(target))
    assert again.returncode == 1
    assert f"no release was live before {first}" in again.stderr
    assert live(target)[0] == f"releases/{first}"

    # The next publish is compared with what is live now, and numbered after every release there.
    assert publish(kit, two, target).returncode == 0
    assert live(target)[0].startswith("releases/0003-")


def test_rollback_without_any_release_fails(kit, tmp_path):
    result = kit.run_publish("rollback", "--target", str(tmp_path / "target"))
    assert result.returncode == 1
    assert "has no current release: nothing to roll back" in result.stderr


def test_an_upload_that_fails_never_goes_live_and_its_leftovers_go_with_the_next_publish(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    (first,) = releases(target)
    broken = tmp_path / "bin"
    broken.mkdir()
    # rsync copies everything, then the connection "drops": exit status 12, as rsync reports it.
    (broken / "rsync").write_text('#!/bin/sh\nPATH="$REAL_PATH" rsync "$@"\nexit 12\n')
    (broken / "rsync").chmod(0o755)
    env = {**os.environ, "PATH": f"{broken}:{os.environ['PATH']}", "REAL_PATH": os.environ["PATH"]}
    result = kit.run_publish("publish", "--site", str(two), "--target", str(target), env=env)
    assert result.returncode == 1
    assert "uploading to" in result.stderr and "failed" in result.stderr
    assert live(target) == (f"releases/{first}", (one / "index.html").read_text())
    leftovers = [name for name in releases(target) if name.startswith(".incoming-")]
    assert len(leftovers) == 1

    assert publish(kit, two, target).returncode == 0
    assert [name for name in releases(target) if name.startswith(".incoming-")] == []


def test_a_remote_target_goes_through_ssh_with_every_word_quoted(kit, tmp_path):
    """The ssh path, with a stand-in for ssh that runs the remote command here, as sshd would."""
    one, two = two_sites(kit, tmp_path)
    remote = tmp_path / "remote home" / "privacy"  # a space, to prove the quoting
    fake_ssh = tmp_path / "fake-ssh"
    log = tmp_path / "ssh.log"
    fake_ssh.write_text(
        "#!/bin/sh\n"
        "# Drops ssh's options, records the host, and hands the command line to a shell as sshd does.\n"
        'while [ $# -gt 0 ]; do case "$1" in -o|-p|-i|-l) shift 2 ;; -*) shift ;; *) break ;; esac; done\n'
        f'echo "$1" >> "{log}"\n'
        'shift\ncd "$HOME" && exec sh -c "$*"\n'
    )
    fake_ssh.chmod(0o755)
    spec = f"deploy@alectro.test:{remote}"
    for site in (one, two):
        result = kit.run_publish(
            "publish", "--site", str(site), "--target", spec, "--ssh", f"{fake_ssh} -o BatchMode=yes"
        )
        assert result.returncode == 0, result.stderr
    first, second = releases(remote)
    assert live(remote) == (f"releases/{second}", (two / "index.html").read_text())
    asset = "assets/bundle.0123abcd.min.js"
    assert (remote / "releases" / first / asset).stat().st_ino == (remote / "releases" / second / asset).stat().st_ino
    # The target names user@host; rsync passes the user as -l deploy and the host alone.
    assert set(log.read_text().split()) == {"deploy@alectro.test", "alectro.test"}

    rewritten = kit.make_site(tmp_path / "rewritten", kit.editions_json(kit.edition(1, "2026-01-16", FIRST[1])), "x")
    before = kit.snapshot(remote)
    refused = kit.run_publish("publish", "--site", str(rewritten), "--target", spec, "--ssh", str(fake_ssh))
    assert refused.returncode == 1 and "edition 1 would change its date" in refused.stderr
    assert kit.snapshot(remote) == before

    back = kit.run_publish("rollback", "--target", spec, "--ssh", str(fake_ssh))
    assert back.returncode == 0, back.stderr
    assert live(remote)[0] == f"releases/{first}"


def test_make_publish_and_rollback_pass_the_target_and_the_override(tmp_path):
    def dry_run(*args):
        command = ["make", "-n", "--no-print-directory", "-C", str(REPO), *args]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        return result.stdout.splitlines()

    publish_lines = dry_run("publish", "TARGET=deploy@alectro.ru:/srv/alectro.ru/privacy")
    assert any("mkdocs build --strict" in line for line in publish_lines)
    # The build numbers from the record in git, and is told it is a publish: a branch's unmerged commits are
    # refused (tests/build/test_publish_from_main.py); the publish checks the live site against the record and
    # records itself, pushing the tag to origin unless RECORD_REMOTE says otherwise.
    assert any(line.startswith("ALECTRO_PUBLISHING=1 make") for line in publish_lines)
    assert publish_lines[-1].startswith('RECORD_REMOTE="${RECORD_REMOTE-origin}" PYTHONPATH=deploy')
    assert publish_lines[-1].endswith('-m alectro_deploy publish --site site --repository . --target "$TARGET"')
    forced = dry_run("publish", "TARGET=/srv/x", "ALLOW_HISTORY_REWRITE=1")
    assert forced[-1].endswith('--target "$TARGET" --allow-history-rewrite')
    # ... built by git history alone, which the tag then says.
    assert any(line.startswith("ALECTRO_PUBLISHING=1 ALECTRO_BY_GIT_ALONE=1 make") for line in forced)
    # The target is passed whole, whatever it holds: quotes and a ';' do not reach the shell, nor «$(…)» make.
    for odd in (
        tmp_path / "it's; touch pwned",
        tmp_path / 'x"; touch pwned; echo "',
        tmp_path / f"x$(shell touch {tmp_path}/pwned)",
    ):
        result = subprocess.run(
            ["make", "--no-print-directory", "-C", str(REPO), "rollback", f"TARGET={odd}"],
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert f"{odd} has no current release: nothing to roll back" in result.stderr
        assert not (REPO / "pwned").exists() and not (tmp_path / "pwned").exists() and not odd.exists()


def test_after_a_rollback_the_editions_of_the_rolled_back_release_stay_protected(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    assert publish(kit, two, target).returncode == 0
    assert kit.run_publish("rollback", "--target", str(target)).returncode == 0
    # Edition 2 is not live any more, but visitors have seen it: its text may not change either.
    changed = kit.make_site(
        tmp_path / "changed",
        kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, SECOND[0], "1.1. Другая вторая редакция.")),
        "changed",
    )
    before = kit.snapshot(target)
    result = publish(kit, changed, target)
    assert result.returncode == 1
    assert "since rolled back) docs/index.md: edition 2 of 2026-05-20 would change its text" in result.stderr
    assert kit.snapshot(target) == before


def test_a_remote_path_in_the_home_directory_is_found_by_ssh_and_rsync_alike(kit, tmp_path):
    one, _ = two_sites(kit, tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    fake_ssh = tmp_path / "fake-ssh"
    fake_ssh.write_text(
        "#!/bin/sh\n"
        'while [ $# -gt 0 ]; do case "$1" in -o|-p|-i|-l) shift 2 ;; -*) shift ;; *) break ;; esac; done\n'
        'shift\ncd "$HOME" && exec sh -c "$*"\n'
    )
    fake_ssh.chmod(0o755)
    env = {**os.environ, "HOME": str(home)}
    result = kit.run_publish(
        "publish", "--site", str(one), "--target", "deploy@alectro.test:~/privacy", "--ssh", str(fake_ssh), env=env
    )
    assert result.returncode == 0, result.stderr
    assert live(home / "privacy")[1] == (one / "index.html").read_text()
    assert not (home / "~").exists()


def test_rollback_returns_to_the_release_live_before_even_after_an_earlier_rollback(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    three = kit.make_site(
        tmp_path / "site-3", kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, *SECOND)), "edition 2, restyled"
    )
    target = tmp_path / "target"
    for site in (one, two):
        assert publish(kit, site, target).returncode == 0
    first, second = releases(target)
    assert kit.run_publish("rollback", "--target", str(target)).returncode == 0  # away from `second`
    assert publish(kit, three, target).returncode == 0
    third = releases(target)[-1]
    result = kit.run_publish("rollback", "--target", str(target))
    assert result.returncode == 0, result.stderr
    # Back to what visitors saw before `third`, not to `second`, which the operator had rolled away from.
    assert live(target)[0] == f"releases/{first}"
    assert f"(was {third})" in result.stdout


def test_a_second_publish_while_one_runs_is_refused_and_changes_nothing(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    (target / ".publish.lock").mkdir()  # what a running publish holds
    before = kit.snapshot(target)
    result = publish(kit, two, target)
    assert result.returncode == 1
    assert "is locked (.publish.lock exists): another publish or rollback is running" in result.stderr
    assert kit.snapshot(target) == before
    (target / ".publish.lock").rmdir()
    assert publish(kit, two, target).returncode == 0
    assert not (target / ".publish.lock").exists()


def test_an_unreadable_published_editions_json_is_refused_unless_overridden(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target).returncode == 0
    (target / "current" / "editions.json").write_text("{not json")
    refused = publish(kit, two, target)
    assert refused.returncode == 1 and "current/editions.json is not valid JSON" in refused.stderr
    forced = publish(kit, two, target, "--allow-history-rewrite")
    assert forced.returncode == 0, forced.stderr
    assert live(target)[1] == (two / "index.html").read_text()


def test_rollback_without_a_live_history_goes_back_by_release_order_and_says_so(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    three = kit.make_site(
        tmp_path / "site-3", kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, *SECOND)), "edition 2, restyled"
    )
    target = tmp_path / "target"
    for site in (one, two, three):
        assert publish(kit, site, target).returncode == 0
    first, second, third = releases(target)
    # A target published before live-history existed, or one whose file was lost.
    (target / "live-history").unlink()

    result = kit.run_publish("rollback", "--target", str(target))
    assert result.returncode == 0, result.stderr
    assert live(target) == (f"releases/{second}", (two / "index.html").read_text())
    assert f"by release order: {second} is the newest release older than {third}" in result.stdout
    assert f"(was {third})" in result.stdout
    # The way back is recorded now: one more rollback reaches the first release.
    again = kit.run_publish("rollback", "--target", str(target))
    assert again.returncode == 0, again.stderr
    assert live(target)[0] == f"releases/{first}"


def test_a_publish_reads_each_published_editions_json_once(kit, tmp_path, monkeypatch):
    """Over ssh every read is a round trip: the guard and the date check share what was read."""
    from datetime import datetime

    from alectro_deploy import publish as publishing
    from alectro_deploy.targets.local import LocalTarget

    target = tmp_path / "target"
    data = kit.editions_json(kit.edition(1, "2026-01-15", "a"))
    for name in ("one", "two", "three"):
        assert publish(kit, kit.make_site(tmp_path / name, data, name), target).returncode == 0
    assert kit.run_publish("rollback", "--target", str(target)).returncode == 0  # the newest is no longer live
    reads: list[str] = []
    real_read = LocalTarget.read

    def counting_read(self, relative):
        reads.append(relative)
        return real_read(self, relative)

    monkeypatch.setattr(LocalTarget, "read", counting_read)
    publishing.publish(
        kit.make_site(tmp_path / "four", data, "four"),
        LocalTarget(target),
        keep=5,
        allow_history_rewrite=False,
        commit=None,
        now=datetime(2026, 11, 25, tzinfo=UTC),
        say=lambda message: None,
    )
    editions_reads = [path for path in reads if path.endswith("editions.json")]
    assert len(editions_reads) == len(set(editions_reads)) == 2, reads


def with_banner_text(site, text):
    """``site`` as the build leaves it with the banner showing ``text``: the text under its hash, and the index."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    (site / "banner-texts").mkdir()
    (site / "banner-texts" / f"{digest}.txt").write_text(text)
    (site / "banner-texts" / "index.txt").write_text(f"{digest}\n")
    return digest


def test_every_banner_text_visitors_were_shown_stays_published_by_its_hash_release_after_release(kit, tmp_path):
    one, two = two_sites(kit, tmp_path)
    target = tmp_path / "target"
    first = with_banner_text(one, "Мы используем cookies.\n")
    assert publish(kit, one, target).returncode == 0
    # Entries no proof could use: a text whose bytes are not its name's, and names that are no hash.
    released = target / "current" / "banner-texts"
    forged = "0123456789abcdef"
    (released / f"{forged}.txt").write_text("не тот текст\n")
    (released / "index.txt").write_text(f"{first}\n{forged}\n../../escape\n")

    second = with_banner_text(two, "Мы используем cookies для статистики.\n")
    result = publish(kit, two, target)
    assert result.returncode == 0, result.stderr
    live_texts = target / "current" / "banner-texts"
    assert {path.name for path in live_texts.iterdir()} == {"index.txt", f"{first}.txt", f"{second}.txt"}
    assert (live_texts / "index.txt").read_text().split() == [first, second]
    assert (live_texts / f"{first}.txt").read_text() == "Мы используем cookies.\n"
    assert f"carried into the new release: {first}" in result.stdout
