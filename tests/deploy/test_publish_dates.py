"""Publishing refuses a new edition that is not dated by the day it goes live in the site's time zone."""

import os
import shutil
from datetime import date
from zoneinfo import ZoneInfo

from alectro_deploy.guard import check_new_dates
from alectro_published.editions_file import site_today

FIRST = ("2026-01-15", "1.1. Первый пункт.")
SECOND = ("2026-11-24", "1.1. Первый пункт, уточнённый.")


def sites(kit, tmp_path):
    one = kit.make_site(tmp_path / "site-1", kit.editions_json(kit.edition(1, *FIRST)), "edition 1")
    two = kit.make_site(
        tmp_path / "site-2", kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, *SECOND)), "edition 2"
    )
    return one, two


def publish(kit, site, target, today):
    env = {**os.environ, "ALECTRO_TODAY": today}
    return kit.run_publish("publish", "--site", str(site), "--target", str(target), env=env)


def test_a_new_edition_dated_the_day_before_it_goes_live_is_refused_and_nothing_changes(kit, tmp_path):
    one, two = sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target, "2026-01-15").returncode == 0
    before = kit.snapshot(target)
    # Committed on the 24th, published (by CI, or by hand) on the 25th.
    result = publish(kit, two, target, "2026-11-25")
    assert result.returncode == 1
    assert kit.snapshot(target) == before
    assert (
        "docs/index.md: new edition 2 is dated 2026-11-24, but it goes live today, 2026-11-25 (Europe/Moscow)"
        in result.stderr
    )
    assert (
        "One step: put 'edition_date: 2026-11-25' in the front matter of docs/index.md, commit that alone (no other "
        "change) to main and push: CI publishes again" in " ".join(result.stderr.split())
    )
    assert "Nothing at the target was changed." in result.stderr


def test_the_history_override_does_not_let_a_misdated_edition_through(kit, tmp_path):
    one, two = sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target, "2026-01-15").returncode == 0
    result = kit.run_publish(
        "publish",
        "--site",
        str(two),
        "--target",
        str(target),
        "--allow-history-rewrite",
        env={**os.environ, "ALECTRO_TODAY": "2026-11-30"},
    )
    assert result.returncode == 1 and "new edition 2 is dated 2026-11-24" in result.stderr


def test_the_first_publication_and_a_republication_of_the_same_editions_are_not_checked(kit, tmp_path):
    one, two = sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, two, target, "2026-11-30").returncode == 0  # nothing was live: the editions are history
    result = publish(kit, two, target, "2026-12-01")  # a restyle: no new edition
    assert result.returncode == 0, result.stderr


def test_every_new_edition_is_checked_a_new_document_s_too(kit):
    live = kit.editions_json(kit.edition(1, *FIRST))
    new = kit.editions_json(
        kit.edition(1, *FIRST), kit.edition(2, "2026-11-20", "b"), kit.edition(3, "2026-11-25", "c")
    )
    new["documents"].append(
        kit.editions_json(kit.edition(1, "2019-05-01", "d"), source="docs/terms.md")["documents"][0]
    )
    # Edition 2 never went live on its own (a build by git alone after a fast-forward): refused, with the way out.
    (problem, _terms) = check_new_dates(live, new, date(2026, 11, 25))
    assert problem.startswith("docs/index.md: new edition 2 is dated 2026-11-20, but it never went live on its own")
    assert "Publish with 'make publish'" in problem
    one_new = kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, "2026-11-25", "c"))
    # A new document's first edition takes effect when it goes live (clause 6.2), not when it was written.
    one_new["documents"].append(new["documents"][1])
    (problem,) = check_new_dates(live, one_new, date(2026, 11, 25))
    assert problem.startswith("docs/terms.md: new edition 1 is dated 2019-05-01, but it goes live today, 2026-11-25")
    one_new["documents"][1] = kit.editions_json(kit.edition(1, "2026-11-25", "d"), source="docs/terms.md")["documents"][
        0
    ]
    assert check_new_dates(live, one_new, date(2026, 11, 25)) == ()
    (problem, _) = check_new_dates(live, one_new, date(2026, 11, 26))
    assert problem.startswith("docs/index.md: new edition 2 is dated 2026-11-25")


def test_the_time_zone_is_read_from_the_new_editions_json(kit, monkeypatch):
    monkeypatch.delenv("ALECTRO_TODAY", raising=False)
    live = kit.editions_json(kit.edition(1, *FIRST))
    new = kit.editions_json(kit.edition(1, *FIRST), kit.edition(2, *SECOND))
    del new["timezone"]
    (problem,) = check_new_dates(live, new)
    assert "names no time zone" in problem
    # Without an injected date, today is the clock's day in that zone: on either side of the date line.
    new["timezone"] = "Pacific/Kiritimati"
    kiritimati = site_today(ZoneInfo("Pacific/Kiritimati"))
    new["documents"][0]["editions"][1]["date"] = kiritimati.isoformat()
    assert check_new_dates(live, new) == ()
    new["timezone"] = "Pacific/Pago_Pago"  # 25 hours behind Kiritimati: always another day
    (problem,) = check_new_dates(live, new)
    assert "(Pacific/Pago_Pago)" in problem


def test_an_edition_published_before_a_rollback_is_not_new_when_published_again_later(kit, tmp_path):
    one, two = sites(kit, tmp_path)
    target = tmp_path / "target"
    assert publish(kit, one, target, "2026-01-15").returncode == 0
    assert publish(kit, two, target, "2026-11-24").returncode == 0
    assert kit.run_publish("rollback", "--target", str(target)).returncode == 0
    # Edition 2 went live on the 24th with its date; publishing it again on the 26th changes nothing about that.
    result = publish(kit, two, target, "2026-11-26")
    assert result.returncode == 0, result.stderr


def test_a_commit_from_a_clock_that_ran_behind_is_refused_with_the_fix_that_works(kit, git_repo, tmp_path, monkeypatch):
    """Edition 2 committed on a computer whose clock said February, after edition 1 went live in March."""
    policy = "# Политика\n\n1.1. Первый пункт.\n\n2.2. Сайт использует cookies.\n"
    target = tmp_path / "target"

    def build_and_publish(today: str, name: str):
        monkeypatch.setenv("ALECTRO_TODAY", today)
        site = shutil.copytree(git_repo.build(), tmp_path / name)
        return publish(kit, site, target, today)

    git_repo.write("docs/index.md", policy)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    assert build_and_publish("2026-03-01", "site-1").returncode == 0
    git_repo.write("docs/index.md", policy.replace("Первый", "Уточнённый первый"))
    git_repo.commit("Уточнён п. 1.1", "2026-02-01T10:00:00+03:00")
    before = kit.snapshot(target)
    refused = build_and_publish("2026-03-05", "site-2")
    assert refused.returncode == 1 and kit.snapshot(target) == before
    # The message leads with the fix; what the wrong clock did to edition 1's date is listed after it.
    assert refused.stderr.index("new edition 2 is dated 2026-02-01") < refused.stderr.index(
        "edition 1 would change its date"
    )
    git_repo.write(
        "docs/index.md", "---\nedition_date: 2026-03-05\n---\n" + policy.replace("Первый", "Уточнённый первый")
    )
    git_repo.commit("Дата редакции 2", "2026-03-05T10:00:00+03:00")
    fixed = build_and_publish("2026-03-05", "site-3")
    assert fixed.returncode == 0, fixed.stderr
