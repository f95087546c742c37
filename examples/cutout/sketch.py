# Cut a person out of a photo: BodyPix finds their pixels, the rest becomes transparent.
#
#   python sketch.py my_photo.jpg
#
# Writes cutout.png (the person on a transparent background, ready to paste anywhere),
# background.png (the rest, with a person-shaped hole) and portrait.png (the background blurred).

from ml5py import BodyPix, ask_for_image

bodypix = BodyPix()                     # MobileNetV1 0.75, 2-byte weights, output stride 16
photo = ask_for_image()                 # the photo named on the command line

result = bodypix.segment(photo)         # result.data: 1 where there is a person, 0 elsewhere
share = result.data.mean() * 100
print(f"{result.width}x{result.height} pixels, {share:.1f}% of them are a person")

result.person_mask.save("cutout.png")
result.background_mask.save("background.png")
bodypix.blur_background(photo, amount=12).save("portrait.png")
print("wrote cutout.png, background.png and portrait.png")
