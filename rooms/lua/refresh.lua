local v = bump()
publish(v, 'refresh')
return done(v, 1)
