from mars_cli.cli import run

run()
