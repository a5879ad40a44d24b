"""Feedback: one Markdown file per student, built only from what the student may see.

Each exercise shows its status and points, the error of the student's own cells and of the
visible tests (truncated), and the public message of a rejected hidden check. It never shows
the hidden tests' source, their error messages or a reference value: those stay with the
instructor (grade.score decides what goes into an exercise's details).
"""

import os
import re

MAX_DETAIL_CHARS = 1500


def display_name(student):
    """A student folder's name as text: bytes that are not UTF-8 (e.g. a Windows archive's
    "caf\xe9") are shown as \\xe9 escapes instead of breaking the UTF-8 output files."""
    return os.fsencode(student).decode("utf-8", errors="backslashreplace")


def format_points(value):
    """2.0 -> "2", 0.5 -> "0.5", None (not graded yet) -> ""."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def truncate(text, limit=MAX_DETAIL_CHARS):
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n... (the rest is cut)"


def _code_block(text):
    # A fence longer than any run of backticks inside, so the text cannot close it.
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def points_text(points):
    """1 -> '1 point', 2.5 -> '2.5 points'."""
    return f"{format_points(points)} point" + ("" if points == 1 else "s")


def autograded_points(results):
    """(points earned, points possible) over the autograded ExerciseResults (not manual)."""
    auto = [r for r in results if r.status != "manual"]
    return sum(r.points or 0 for r in auto), sum(r.exercise.points for r in auto)


def render_submission(submission):
    manual = [r for r in submission.results if r.status == "manual"]
    earned, possible = autograded_points(submission.results)
    lines = [f"## {submission.notebook}: {format_points(earned)} of {points_text(possible)}", ""]
    if manual:
        names = ", ".join(
            f"{r.exercise.grade_id} ({points_text(r.exercise.points)})" for r in manual
        )
        lines += [f"Still to be graded by a person: {names}.", ""]
    for note in submission.notes:
        lines += [f"- {truncate(note)}"]
    if submission.notes:
        lines.append("")
    for result in submission.results:
        heading = f"### {result.exercise.grade_id}: {result.status.replace('_', ' ')}"
        if result.status == "manual":
            heading += f" (graded by a person, {points_text(result.exercise.points)})"
        else:
            heading += f", {format_points(result.points)} of {points_text(result.exercise.points)}"
        lines += [heading, ""]
        for detail in result.details:
            lines += [_code_block(truncate(detail)), ""]
    return "\n".join(lines)


def render(student, submissions):
    parts = [f"# Feedback for {display_name(student)}", ""]
    parts += [render_submission(s) for s in sorted(submissions, key=lambda s: s.notebook)]
    return "\n".join(parts).rstrip() + "\n"


def write_feedback(student, submissions, directory):
    path = directory / f"{student}.md"
    path.write_text(render(student, submissions), encoding="utf-8", errors="backslashreplace")
    return path
