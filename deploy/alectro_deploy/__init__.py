"""Publishing the built site, and proving consent from the server's log: plain Python (the standard library, no
MkDocs), run as ``python -m alectro_deploy`` and ``python -m alectro_deploy.consent_proof`` with ``deploy/`` on
``PYTHONPATH`` (the Makefile does this; nothing needs installing on the server).

Publishing (``make publish``, ``make rollback``):

- :mod:`~alectro_deploy.guard`: pure checks of two ``editions.json`` payloads, the published and the new one.
- :mod:`~alectro_deploy.layout`: release names and order, ``live-history``, what to prune, the lock.
- :mod:`~alectro_deploy.targets`: the :class:`~alectro_deploy.targets.Target` protocol, a local directory and ssh.
- :mod:`~alectro_deploy.publish`: publish and rollback, over any target.
- :mod:`~alectro_deploy.cli`: the command line (``__main__``).

The consent proof (``make consent-proof``):

- :mod:`~alectro_deploy.consent_log`: the log's lines parsed into records.
- :mod:`~alectro_deploy.consent_files`: the log's files found and read (rotated copies, several servers).
- :mod:`~alectro_deploy.consent_chain`: one consent's records read in log order into its chain.
- :mod:`~alectro_deploy.consent_step`: a step of the chain, the chain, what was published, and the times compared.
- :mod:`~alectro_deploy.consent_judge`: one record judged as the banner makes them.
- :mod:`~alectro_deploy.consent_keys`: whose record it is, by the secret chain of keys.
- :mod:`~alectro_deploy.consent_published`: the published editions.json and banner texts the proof checks against.
- :mod:`~alectro_deploy.consent_report`: the proof of one consent ID, as lines of text.
- :mod:`~alectro_deploy.consent_summary`: the summary of all choices, as lines of text.
- :mod:`~alectro_deploy.consent_proof`: the command line.
"""
