"""Independence applies to extensions too: who may agree to move an action's due date is configuration
(processes.yaml `extensions:`). By default the SPLIG chair, the portfolio lead, or anyone not from the
agency that owns the action; never the owner; anyone else from the owning agency is refused, by
`mars action extend` (nothing written) and by `mars check` (an extension written by hand)."""

from __future__ import annotations

from conftest import CONFIG, snapshot

AP_ID = "ap-2025-07-01-trust-plan-aaaa"
AP = f"records/action-plan/2025-26/{AP_ID}.md"
ACT_ID = "act-2025-07-01-train-the-ward-staff-aaaa"
ACT = f"records/action-plan/2025-26/{AP_ID}/{ACT_ID}.md"
AS_OF = ("--as-of", "2026-02-16")
TE_ID = "te-2025-06-01-neglect-aaaa"
TE = f"records/thematic-event/2025-26/{TE_ID}.md"

OFFICER = "  - {id: officer-1, name: Hal Officer, email: hal@example.org, roles: [mars-officer]}\n"
TRUST_PEOPLE = CONFIG.replace(OFFICER, OFFICER + (
    "  - {id: nurse-a, name: Ava Nurse, email: ava@example.org, agency: trust}\n"
    "  - {id: nurse-b, name: Bea Nurse, email: bea@example.org, agency: trust}\n"
    "  - {id: chair-trust, name: Cy Chair, email: cy@example.org, roles: [splig-chair], agency: trust}\n"
    "  - {id: lead-trust, name: Di Lead, email: di@example.org, roles: [portfolio-lead], agency: trust}\n"
    "  - {id: social-worker, name: Ed Worker, email: ed@example.org, agency: council-cs}\n"))


def action(owner: str, extensions: str = "extensions: []\n") -> str:
    return (f"---\nid: {ACT_ID}\nkind: action\ntitle: Train the ward staff\nstatus: in-progress\nmarking: OFFICIAL\n"
            f"created: 2025-07-01\nowner: {owner}\ndue: 2026-02-06\ncompleted:\n{extensions}---\n\nTraining.\n")


def files(owner: str = "nurse-a", extensions: str = "extensions: []\n") -> dict[str, str]:
    return {TE: f"---\nid: {TE_ID}\nkind: thematic-event\ntitle: Neglect\nstatus: proposed\nmarking: OFFICIAL\n"
                "created: 2025-06-01\ntheme: neglect\n---\n\n# Neglect\n",
            AP: f"---\nid: {AP_ID}\nkind: action-plan\ntitle: Trust plan\nstatus: monitoring\nmarking: OFFICIAL\n"
                f"created: 2025-07-01\nsource: {TE_ID}\n---\n\n# Trust plan\n",
            ACT: action(owner, extensions)}


def extend(mars, root, agreed_by: str):
    return mars("-w", root, "action", "extend", ACT_ID, "--to", "2026-04-30", "--reason", "Vacancies",
                "--agreed-by", agreed_by, *AS_OF)


def test_extension__a_colleague_from_the_owning_agency_is_refused_and_nothing_written(workspace_with, mars):
    for owner in ("nurse-a", "trust"):  # a person from the trust, or the trust itself
        root = workspace_with(files(owner), config=TRUST_PEOPLE)
        before = snapshot(root)
        result = extend(mars, root, "nurse-b")
        assert result.code == 1 and "Traceback" not in result.text
        assert ("Bea Nurse is from Testshire Hospitals NHS Trust, which owns this action, so cannot agree its "
                "extension; nothing was changed") in result.err
        assert ("Record who agreed it: the splig-chair (Fay Delegate, Cy Chair), the portfolio-lead (Dan Delegate, "
                "Di Lead) or someone not from Testshire Hospitals NHS Trust.") in result.err
        assert snapshot(root) == before


def test_extension__the_splig_chair_or_portfolio_lead_from_the_owning_agency_may_agree(workspace_with, mars):
    for agreed_by in ("chair-trust", "lead-trust", "social-worker", "iso-1"):
        root = workspace_with(files(), config=TRUST_PEOPLE)
        result = extend(mars, root, agreed_by)
        assert result.code == 0, (agreed_by, result.text)
        assert f"agreed_by: {agreed_by}\n" in (root / ACT).read_text(encoding="utf-8")
        assert mars("-w", root, "check", *AS_OF).code == 0


def test_extension__the_owner_is_refused_even_holding_a_role_that_may(workspace_with, mars):
    root = workspace_with(files(owner="chair-trust"), config=TRUST_PEOPLE)
    result = extend(mars, root, "chair-trust")
    assert result.code == 1 and "Cy Chair owns this action, so cannot agree its own extension" in result.err


def test_extension__who_may_agree_is_configuration(workspace_with, mars):
    rules = "extensions:\n  roles: [splig-chair]\n  others: nobody\n"
    for agreed_by, code in (("lead-trust", 1), ("social-worker", 1), ("chair-trust", 0)):
        root = workspace_with({**files(), "processes.yaml": rules}, config=TRUST_PEOPLE)
        result = extend(mars, root, agreed_by)
        assert result.code == code, (agreed_by, result.text)
    assert "does not hold a role that may agree an extension" in extend(
        mars, workspace_with({**files(), "processes.yaml": rules}, config=TRUST_PEOPLE), "social-worker").err
    anyone = workspace_with({**files(), "processes.yaml": "extensions:\n  others: anyone\n"}, config=TRUST_PEOPLE)
    assert extend(mars, anyone, "nurse-b").code == 0


def test_extension__the_rule_in_processes_yaml_is_checked_when_read(workspace_with, mars):
    root = workspace_with({**files(), "processes.yaml": "extensions:\n  roles: [splig-chiar]\n  others: some\n"
                                                        "  agree: yes\n"}, config=TRUST_PEOPLE)
    result = mars("-w", root, "check", *AS_OF)
    assert result.code == 1 and "Traceback" not in result.text
    assert ("processes.yaml:2: error bad-process extensions.roles entry 'splig-chiar' names 'splig-chiar', which is "
            "not a role mars knows") in result.out
    assert "processes.yaml:3: error bad-process others 'some' should be independent or anyone or nobody" in result.out
    assert "processes.yaml:4: error bad-process 'agree' is not part of extensions" in result.out


def test_extension__check_flags_one_written_by_hand_by_a_colleague(workspace_with, mars):
    by_hand = ("extensions:\n  - from: 2025-12-31\n    to: 2026-02-06\n    reason: Vacancies\n"
               "    agreed_by: nurse-b\n    date: 2025-12-15\n")
    root = workspace_with(files(extensions=by_hand), config=TRUST_PEOPLE)
    result = mars("-w", root, "check", *AS_OF)
    assert result.code == 1
    assert (f"{ACT}:15: error extension-agreed extension 1 of 'Train the ward staff': Bea Nurse is from Testshire "
            "Hospitals NHS Trust, which owns this action, so cannot agree its extension") in result.out
    assert "rule: action.extension-agreed" in result.out
    # Looking back to before it was agreed, there was nothing to flag.
    assert "extension-agreed" not in mars("-w", root, "check", "--as-of", "2025-12-14").out
