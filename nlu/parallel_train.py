"""`rasa train` with the ensemble's DIETs trained side by side (one per CPU).

Rasa 3.6 runs its training graph with dask's synchronous scheduler (`dask.get` in
rasa/engine/runner/dask.py), so the three DIETs of config.yml train one after the
other although each needs only the featurized data. With the threaded scheduler
they train at once: TensorFlow does its work outside the GIL. Run with Rasa's own
Python, as `python parallel_train.py train nlu …` (bot/nlu/rasa_command.py does).
"""

import sys

import dask
import dask.threaded

if __name__ == "__main__":
    dask.get = dask.threaded.get  # Rasa looks `dask.get` up at each run
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
