// Command mkicon draws atlink's icon, two interlocked chain links on a blue rounded square,
// and writes it as a PNG: go run ./tools/mkicon -o assets/icon.png
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 1024

func main() {
	out := flag.String("o", "assets/icon.png", "output file")
	flag.Parse()
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4 // supersampling per axis
	for y := range size {
		for x := range size {
			var r, g, b, a float64
			for sy := range ss {
				for sx := range ss {
					px := (float64(x) + (float64(sx)+0.5)/ss) / size
					py := (float64(y) + (float64(sy)+0.5)/ss) / size
					c := shade(px, py)
					r += c[0] * c[3]
					g += c[1] * c[3]
					b += c[2] * c[3]
					a += c[3]
				}
			}
			n := float64(ss * ss)
			if a > 0 {
				img.SetNRGBA(x, y, color.NRGBA{uint8(r / a * 255), uint8(g / a * 255), uint8(b / a * 255), uint8(a / n * 255)})
			}
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
}

// roundBox is the signed distance from p to a rounded box centred at 0 with half size (hx, hy).
func roundBox(x, y, hx, hy, r float64) float64 {
	qx, qy := math.Abs(x)-hx+r, math.Abs(y)-hy+r
	outside := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
	return outside + math.Min(math.Max(qx, qy), 0) - r
}

// link is the distance to a chain link (a rounded-box ring) centred at (cx, cy), rotated 45°.
func link(x, y, cx, cy float64) float64 {
	dx, dy := x-cx, y-cy
	c, s := math.Cos(-math.Pi/4), math.Sin(-math.Pi/4)
	rx, ry := dx*c-dy*s, dx*s+dy*c
	return math.Abs(roundBox(rx, ry, 0.25, 0.115, 0.115)) - 0.045
}

// shade is the colour (r, g, b, alpha in 0..1) at a point of the unit square.
func shade(x, y float64) [4]float64 {
	if roundBox(x-0.5, y-0.5, 0.47, 0.47, 0.2) > 0 {
		return [4]float64{}
	}
	// Background: a diagonal blue gradient.
	t := (x + y) / 2
	bg := [4]float64{lerp(0.15, 0.0, t), lerp(0.52, 0.32, t), lerp(1.0, 0.80, t), 1}
	white := [4]float64{1, 1, 1, 1}
	pale := [4]float64{0.78, 0.88, 1, 1}
	a := link(x, y, 0.36, 0.36) < 0
	b := link(x, y, 0.64, 0.64) < 0
	// The links interlock: b lies over a at one crossing, a over b at the other.
	switch {
	case a && b && x > y:
		return white
	case b:
		return pale
	case a:
		return white
	}
	return bg
}

func lerp(a, b, t float64) float64 { return a + (b-a)*t }
