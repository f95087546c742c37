"""p5.sound in a Python sketch: its sound makers as plain functions, ``osc = Oscillator("sine")``.

p5.sound (the add-on in the pinned ``p5`` npm package) defines classes such as
``p5.Oscillator``, which JavaScript makes with ``new``. Python has no ``new``, so these
functions make them. Only Transcrypt compiles this file, for sketches that use p5.sound
(``ml5py/tooling/sketch_analysis.py`` finds the names below, adds p5.sound to the page and
makes the sketch import this module). p5.sound's plain functions (``userStartAudio``,
``midiToFreq`` ...) need no help: p5 puts them on ``window``.
"""
# __pragma__ ('noopov')

# The names that make a sketch a p5.sound sketch (read by sketch_analysis in CPython).
SOUND_CLASSES = ["Oscillator", "MonoSynth", "PolySynth", "Envelope", "Noise", "AudioIn", "FFT", "Amplitude",
                 "Reverb", "Delay"]
SOUND_FUNCTIONS = ["userStartAudio", "getAudioContext", "midiToFreq", "freqToMidi", "loadSound", "soundFormats",
                   "outputVolume", "getOutputVolume"]


def Oscillator(*args):  # noqa: N802 (p5.sound's names)
    """A tone: ``Oscillator("sine")`` (or "triangle", "sawtooth", "square"); ``start()``, ``freq(hz)``, ``amp(0..1)``."""
    return __new__(p5.Oscillator(*args))


def MonoSynth(*args):  # noqa: N802
    return __new__(p5.MonoSynth(*args))


def PolySynth(*args):  # noqa: N802
    return __new__(p5.PolySynth(*args))


def Envelope(*args):  # noqa: N802
    return __new__(p5.Envelope(*args))


def Noise(*args):  # noqa: N802
    return __new__(p5.Noise(*args))


def AudioIn(*args):  # noqa: N802
    return __new__(p5.AudioIn(*args))


def FFT(*args):  # noqa: N802
    return __new__(p5.FFT(*args))


def Amplitude(*args):  # noqa: N802
    return __new__(p5.Amplitude(*args))


def Reverb(*args):  # noqa: N802
    return __new__(p5.Reverb(*args))


def Delay(*args):  # noqa: N802
    return __new__(p5.Delay(*args))
