-- Text written in records is never markup for the output format: raw blocks and inlines
-- become code, images become their description (a record cannot pull a file into a paper).
-- Each thing dropped is named on stderr, so the build can say what it dropped.
local function dropped(what, detail)
  io.stderr:write("mars-dropped\t" .. what .. "\t" .. (detail or "") .. "\n")
end

function Image(img)
  dropped("image", img.src)
  local words = pandoc.utils.stringify(img.caption)
  return pandoc.Emph(pandoc.Inlines("[picture not included" .. (words ~= "" and (": " .. words) or "") .. "]"))
end

function RawBlock(raw)
  dropped("raw " .. raw.format .. " block")
  return pandoc.CodeBlock(raw.text)
end

function RawInline(raw)
  dropped("raw " .. raw.format .. " text")
  return pandoc.Code(raw.text)
end
