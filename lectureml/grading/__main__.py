"""`python -m lectureml.grading ...` is the same as `lectureml-grade ...`."""

from lectureml.grading.cli import main

raise SystemExit(main())
