"""Running a p5 sketch with CPython says how to run it, instead of doing nothing silently."""
import subprocess
import sys


def run(tmp_path, source: str) -> subprocess.CompletedProcess:
    sketch = tmp_path / "my_sketch.py"
    sketch.write_text(source)
    return subprocess.run([sys.executable, str(sketch)], capture_output=True, text=True, timeout=60)


def test_a_p5_sketch_run_with_python_points_to_ml5py_serve(tmp_path):
    finished = run(tmp_path, "import ml5py\n\ndef setup():\n    createCanvas(100, 100)\n\ndef draw():\n    pass\n")
    assert finished.returncode == 0
    assert "ml5py serve my_sketch.py" in finished.stderr
    assert "setup(), draw()" in finished.stderr


def test_a_plain_script_gets_no_hint(tmp_path):
    finished = run(tmp_path, "import ml5py\nprint('hello')\n")
    assert finished.stdout == "hello\n"
    assert finished.stderr == ""
