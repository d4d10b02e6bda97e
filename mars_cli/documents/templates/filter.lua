-- Text written in records is never markup for the output format: raw blocks and inlines
-- become code, and pictures become their description (a record cannot pull a file into a
-- paper). Only the charts mars drew itself pass, marked with the build's secret token.
-- Each thing dropped is named on stderr, so the build can say what it dropped.
local token = nil

local function dropped(what)
  io.stderr:write("mars-dropped\t" .. what .. "\n")
end

local function picture(img)
  if token and token ~= "" and img.classes:includes(token) then
    return img
  end
  dropped("image")
  local words = pandoc.utils.stringify(img.caption)
  return pandoc.Emph(pandoc.Inlines("[picture not included" .. (words ~= "" and (": " .. words) or "") .. "]"))
end

-- A link from a record keeps its words; only a web or e-mail address stays a link (a javascript:,
-- data: or file: link would run or open something on the reader's machine).
local function link(l)
  local target = l.target:lower()
  if target:match("^https?://") or target:match("^mailto:") then
    return l
  end
  dropped("link")
  return l.content
end

-- A word longer than a line (a pasted address, a run of characters) may break anywhere rather than
-- run off the page: a zero-width space every 30 characters gives the layout a place to break. Only in
-- the PDF (Typst): HTML and Word break long words themselves, and a reader copying an ID or an e-mail
-- address from them must get it without invisible characters.
local function long_word(str)
  if utf8.len(str.text) and utf8.len(str.text) > 40 then
    local out, count = {}, 0
    for _, code in utf8.codes(str.text) do
      out[#out + 1] = utf8.char(code)
      count = count + 1
      if count % 30 == 0 then out[#out + 1] = utf8.char(0x200B) end
    end
    return pandoc.Str(table.concat(out))
  end
end

return {
  {Meta = function(meta) token = meta["mars-token"] and pandoc.utils.stringify(meta["mars-token"]) end},
  {
    Image = picture,
    Link = link,
    Str = FORMAT == "typst" and long_word or nil,
    RawBlock = function(raw) dropped("raw " .. raw.format .. " block"); return pandoc.CodeBlock(raw.text) end,
    RawInline = function(raw) dropped("raw " .. raw.format .. " text"); return pandoc.Code(raw.text) end,
  },
}
