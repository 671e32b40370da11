"""`python -m storyline.cli ...`: the same as the `storyline` command."""

from storyline.cli.app import main

main()
