"""Files on disk: finding the workspace, reading records and settings files as YAML 1.2 with the
line of every key, writing atomically, editing front matter in place (only the lines that change),
ruamel.yaml for writing new YAML, git. One module per outside library: `yaml12` (PyYAML),
`rtyaml` (ruamel.yaml), `git` (the git command). What the files mean is not known here.

May import: model.
"""
