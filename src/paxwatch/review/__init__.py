"""Human review of automated hits (Directive Art 6(5)–(6), CJEU C-817/19 §2 row 7).

- ``queue``: open hits grouped per traveller, most urgent flight first, with filters.
- ``decisions``: the review state machine (new → in_review → confirmed | dismissed, with
  an optional four-eyes countersignature), every decision recorded and audited.
- ``transmissions``: the only way data leaves the PIU: a confirmed hit sent to a competent
  authority, with a snapshot of exactly what was sent.
- ``reasons``: the configuration: dismissal reason codes, recipient authorities, four eyes.
"""
