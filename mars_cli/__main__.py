from mars_cli.cli.main import run

run()
