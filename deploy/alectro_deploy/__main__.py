"""``python -m alectro_deploy``: the publish and rollback command (:mod:`alectro_deploy.cli`)."""

import sys

from alectro_deploy.cli import main

sys.exit(main())
