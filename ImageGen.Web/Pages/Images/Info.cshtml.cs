using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Images;

/// <summary>An image's details and the provenance embedded in the file itself (read back, not from the database).</summary>
public sealed class InfoModel(RunQueries runs, DataRoot root, ILogger<InfoModel> logger) : PageModel
{
    public RunImageView Image { get; private set; } = null!;
    public ImageOrigin? Origin { get; private set; }
    public IReadOnlyList<EmbeddedField> Fields { get; private set; } = [];
    public string? ReadError { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await runs.GetImageAsync(id, cancellationToken) is not { } image || root.ResolveStoredImage(image.Path) is not { } file)
        {
            return NotFound();
        }
        Image = image;
        Origin = await runs.GetImageOriginAsync(id, cancellationToken);
        try
        {
            Fields = ProvenanceReader.Read(file);
        }
        catch (Exception e) when (e is NetVips.VipsException or IOException)
        {
            logger.LogWarning(e, "Could not read the metadata of image {ImageId} at {Path}", id, image.Path);
            ReadError = $"The file could not be read: {e.Message.Split('\n')[0]}";
        }
        return Page();
    }
}
