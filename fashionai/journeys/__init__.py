"""The journeys room: scripted shoppers, run step by step, and how a category's top drifts along the way.

    journey.py      Step, Journey, their JSON and the editable steps table
    run.py          running a journey: each step, then the target ranked again (the drift)
    view.py         what the journeys page shows: steps planned and run, the drift's headline
    personas.py     built-in personas made from a catalog
    handover.py     a journey run as a deck or a report (an output.handover.Handover)
"""
