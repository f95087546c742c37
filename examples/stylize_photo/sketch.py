# Repaint a photo in the style of a painting, and save it.
#
#   python sketch.py my_photo.jpg      (writes my_photo_scream.png)
#
# The nine styles: la_muse, mathura, matilde_perez, matta, rain_princess, scream, udnie,
# wave, wreck. For a whole folder of photos, try:  ml5py stylize wave *.jpg -o prints

from pathlib import Path

from ml5py import StyleTransfer, ask_for_image

STYLE = "scream"                        # change me!


def got_painting(result, error):
    # ml5py calls this when the painting is ready: an image you can save or look at
    if error:
        print("Could not paint it:", error)
        return
    name = Path(photo.source).stem + "_" + STYLE + ".png"
    result.save(name)
    print("Saved", name, "-", result.width, "x", result.height, "pixels")


style = StyleTransfer(STYLE)            # loads the painting's network
photo = ask_for_image("harriet.jpg")    # the photo you give (harriet.jpg if it is here)
style.transfer(photo, got_painting)     # paints it, then calls got_painting
